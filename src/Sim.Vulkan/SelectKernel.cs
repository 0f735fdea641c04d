using System;
using System.Runtime.InteropServices;

namespace Sim.Vulkan
{
    /// <summary>shaders/select_lowest.comp: the GPU twin of <c>CpuBackend.SelectLowest</c> (each key's rank by counting; quadratic, exact).</summary>
    public sealed class SelectKernel : IDisposable
    {
        [StructLayout(LayoutKind.Sequential)]
        struct Arguments
        {
            public uint Count;
            public uint K;
        }

        readonly VulkanContext _context;
        readonly ComputeKernel _kernel;
        readonly TimeSpan _timeout;
        ComputeBuffer? _keys, _lowest;

        public SelectKernel(VulkanContext context, TimeSpan timeout)
        {
            _context = context;
            _timeout = timeout;
            _kernel = new ComputeKernel(context, "select_lowest", bufferCount: 2, Marshal.SizeOf<Arguments>());
        }

        public void SelectLowest(ReadOnlySpan<float> keys, Span<int> lowest)
        {
            if (lowest.Length > keys.Length) throw new ArgumentException("cannot select " + lowest.Length + " of " + keys.Length, nameof(lowest));
            if (lowest.Length == 0) return;
            _keys = ComputeBuffer.GrownToFit(_keys, _context, keys.Length);
            _lowest = ComputeBuffer.GrownToFit(_lowest, _context, lowest.Length);
            _keys.Write(keys);
            _kernel.Dispatch(new[] { _keys, _lowest }, new Arguments { Count = (uint)keys.Length, K = (uint)lowest.Length }, _kernel.GroupsFor(keys.Length), _timeout);
            _lowest.Read<int>(lowest.Length).CopyTo(lowest);
        }

        public void Dispose()
        {
            _kernel.Dispose();
            _keys?.Dispose();
            _lowest?.Dispose();
        }
    }
}
