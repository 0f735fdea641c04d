using System;
using System.Runtime.InteropServices;

namespace Sim.Vulkan
{
    /// <summary>shaders/scale.comp: y[i] = a * x[i] + y[i] for i below a count. The smallest real dispatch, checking the build embeds working SPIR-V.</summary>
    public sealed class ScaleKernel : IDisposable
    {
        public const int LocalSize = ComputeKernel.LocalSize;

        /// <summary>Mirror of the shader's push-constant block {uint count; float a;} (std430: 4 + 4 bytes).</summary>
        [StructLayout(LayoutKind.Sequential)]
        struct Arguments
        {
            public uint Count;
            public float A;
        }

        readonly ComputeKernel _kernel;

        public ScaleKernel(VulkanContext context)
        {
            _kernel = new ComputeKernel(context, "scale", bufferCount: 2, Marshal.SizeOf<Arguments>());
        }

        /// <summary>
        /// Runs y[i] = a * x[i] + y[i] for i in [0, count) on the device, <paramref name="repetitions"/> times in one
        /// submission, and waits for it at most <paramref name="timeout"/>. Elements of y at and beyond count are left
        /// untouched. Repeated passes over resident buffers measure the device's streaming bandwidth (12 bytes an
        /// element a pass) and give work long enough to outlast a short timeout on any device.
        /// </summary>
        public void Run(ComputeBuffer x, ComputeBuffer y, float a, int count, TimeSpan timeout, int repetitions = 1)
        {
            if (count <= 0 || count > x.Length || count > y.Length)
                throw new ArgumentOutOfRangeException(nameof(count), count, "must be in 1.." + Math.Min(x.Length, y.Length) + " (the buffer lengths)");
            if (repetitions <= 0)
                throw new ArgumentOutOfRangeException(nameof(repetitions), repetitions, "must be positive");
            var step = (new Arguments { Count = (uint)count, A = a }, _kernel.GroupsFor(count));
            var steps = new (Arguments, (uint, uint))[repetitions];
            Array.Fill(steps, step);
            _kernel.DispatchSteps([x, y], steps, timeout);
        }

        public void Dispose() => _kernel.Dispose();
    }
}
