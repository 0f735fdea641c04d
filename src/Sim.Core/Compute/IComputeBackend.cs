using System;
using Sim.Core.Kv;

namespace Sim.Core.Compute
{
    /// <summary>
    /// The data-parallel kernels of the simulator, each a pure function of spans so a GPU twin can run it:
    /// the CPU reference is <see cref="CpuBackend"/>; the Vulkan twin must match it (parity tests). Each family of
    /// kernels is one part of this interface (eviction scoring here; attention and MoE gating beside it).
    /// </summary>
    public partial interface IComputeBackend
    {
        string Name { get; }

        /// <summary>Eviction score of each cached block (lower leaves first); <paramref name="inflationScore"/> ages size-aware scores.</summary>
        void ScoreEviction(EvictionPolicy policy, ReadOnlySpan<BlockUsage> blocks, double inflationScore, Span<double> scores);
    }
}
