using System;
using System.Runtime.InteropServices;

namespace Sim.Vulkan
{
    /// <summary>
    /// shaders/select_lowest.comp: the GPU twin of <c>CpuBackend.SelectLowest</c>, a bitonic sort of (key, index) pairs
    /// in one submission: O(n log² n) work in log² n steps, exact.
    /// </summary>
    public sealed class SelectKernel : IDisposable
    {
        [StructLayout(LayoutKind.Sequential)]
        internal struct Arguments
        {
            public uint Count;
            public uint Padded;
            public uint Block;
            public uint Distance;
        }

        /// <summary>The largest key count: the network's width, the next power of two, must stay an int.</summary>
        public const int MaxKeys = 1 << 30;

        readonly VulkanContext _context;
        readonly ComputeKernel _kernel;
        readonly TimeSpan _timeout;
        ComputeBuffer? _keys, _sortKeys, _order;
        (Arguments, (uint, uint))[]? _steps;

        public SelectKernel(VulkanContext context, TimeSpan timeout)
        {
            _context = context;
            _timeout = timeout;
            _kernel = new ComputeKernel(context, "select_lowest", bufferCount: 3, Marshal.SizeOf<Arguments>());
        }

        public void SelectLowest(ReadOnlySpan<float> keys, Span<int> lowest)
        {
            if (lowest.Length > keys.Length) throw new ArgumentException("cannot select " + lowest.Length + " of " + keys.Length, nameof(lowest));
            if (keys.Length > MaxKeys) throw new ArgumentException("cannot select among more than " + MaxKeys + " keys", nameof(keys));
            if (lowest.Length == 0) return;
            int padded = PowerOfTwoAtLeast(keys.Length);
            _keys = ComputeBuffer.GrownToFit(_keys, _context, keys.Length);
            _sortKeys = ComputeBuffer.GrownToFit(_sortKeys, _context, padded, sizeof(uint));
            _order = ComputeBuffer.GrownToFit(_order, _context, padded, sizeof(int));
            _keys.Write(keys);
            _kernel.DispatchSteps([_keys, _sortKeys, _order], Steps(_kernel, keys.Length, padded, ref _steps), _timeout);
            _order.ReadInto(lowest);
        }

        /// <summary>
        /// The load, then the bitonic network: blocks of 2, 4, ... padded, each merged at distances block/2 down to 1; written
        /// into <paramref name="steps"/>, grown where it is too short (a caller keeps it, so repeated calls allocate nothing).
        /// </summary>
        static ReadOnlySpan<(Arguments, (uint, uint))> Steps(ComputeKernel kernel, int count, int padded, ref (Arguments, (uint, uint))[]? steps)
        {
            int levels = System.Numerics.BitOperations.Log2((uint)padded);
            int length = 1 + levels * (levels + 1) / 2;
            if (steps == null || steps.Length < length) steps = new (Arguments, (uint, uint))[length];
            (uint, uint) groups = kernel.GroupsFor(padded);
            int at = 0;
            steps[at++] = (new Arguments { Count = (uint)count, Padded = (uint)padded }, groups);
            for (uint block = 2; block <= (uint)padded; block <<= 1)
                for (uint distance = block >> 1; distance > 0; distance >>= 1)
                    steps[at++] = (new Arguments { Count = (uint)count, Padded = (uint)padded, Block = block, Distance = distance }, groups);
            return new ReadOnlySpan<(Arguments, (uint, uint))>(steps, 0, length);
        }

        internal static int PowerOfTwoAtLeast(int n)
        {
            int power = 1;
            while (power < n) power <<= 1;
            return power;
        }

        public void Dispose()
        {
            _kernel.Dispose();
            _keys?.Dispose();
            _sortKeys?.Dispose();
            _order?.Dispose();
        }
    }
}
