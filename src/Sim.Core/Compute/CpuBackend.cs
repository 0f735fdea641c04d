using System;
using Sim.Core.Kv;

namespace Sim.Core.Compute
{
    /// <summary>The reference implementation of every kernel, in plain loops.</summary>
    public sealed partial class CpuBackend : IComputeBackend
    {
        public static readonly CpuBackend Instance = new CpuBackend();

        public string Name => "cpu";

        public void ScoreEviction(EvictionPolicy policy, ReadOnlySpan<BlockUsage> blocks, double inflationScore, Span<double> scores)
        {
            if (scores.Length < blocks.Length) throw new ArgumentException("one score per block", nameof(scores));
            Kv.Eviction.IEvictionRule rule = policy.Rule();
            for (int i = 0; i < blocks.Length; i++) scores[i] = rule.Score(blocks[i], inflationScore);
        }
    }
}
