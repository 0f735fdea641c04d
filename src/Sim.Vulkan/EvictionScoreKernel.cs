using System;
using System.Runtime.InteropServices;
using Sim.Core.Kv;

namespace Sim.Vulkan
{
    /// <summary>shaders/evict_score.comp: the GPU twin of <c>CpuBackend.ScoreEviction</c>, in doubles (the device must have them).</summary>
    public sealed class EvictionScoreKernel : IDisposable
    {
        [StructLayout(LayoutKind.Sequential)]
        internal struct Arguments
        {
            public uint Count;
            public uint Policy;
            public double InflationScore;
        }

        readonly VulkanContext _context;
        readonly ComputeKernel _kernel;
        readonly TimeSpan _timeout;
        ComputeBuffer? _usage, _scores;

        public EvictionScoreKernel(VulkanContext context, TimeSpan timeout)
        {
            if (!context.HasFloat64) throw new NotSupportedException(context.DeviceInfo + " has no double-precision shaders, which eviction scores need");
            if (Marshal.SizeOf<BlockUsage>() != 32) throw new InvalidOperationException("BlockUsage no longer matches the shader's 32-byte layout");
            _context = context;
            _timeout = timeout;
            _kernel = new ComputeKernel(context, "evict_score", bufferCount: 2, Marshal.SizeOf<Arguments>());
        }

        /// <summary>Dispatches so far (one submission each).</summary>
        public long Calls { get; private set; }

        public void ScoreEviction(EvictionPolicy policy, ReadOnlySpan<BlockUsage> blocks, double inflationScore, Span<double> scores)
        {
            if (scores.Length < blocks.Length) throw new ArgumentException("one score per block", nameof(scores));
            if (blocks.Length == 0) return;
            _usage = ComputeBuffer.GrownToFit(_usage, _context, blocks.Length, Marshal.SizeOf<BlockUsage>());
            _scores = ComputeBuffer.GrownToFit(_scores, _context, blocks.Length, sizeof(double));
            _usage.Write(blocks);
            _kernel.Dispatch([_usage, _scores], new Arguments { Count = (uint)blocks.Length, Policy = (uint)policy, InflationScore = inflationScore },
                _kernel.GroupsFor(blocks.Length), _timeout);
            Calls++;
            _scores.ReadInto(scores.Slice(0, blocks.Length));
        }

        public void Dispose()
        {
            _kernel.Dispose();
            _usage?.Dispose();
            _scores?.Dispose();
        }
    }
}
