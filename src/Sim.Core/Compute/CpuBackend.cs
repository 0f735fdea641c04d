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
            for (int i = 0; i < blocks.Length; i++)
            {
                BlockUsage block = blocks[i];
                scores[i] = policy switch
                {
                    EvictionPolicy.Lfu => block.AccessCount,
                    EvictionPolicy.Fifo => block.CachedAtS,
                    EvictionPolicy.SizeAware => inflationScore + (double)block.AccessCount / Math.Max(1, block.ChainBlocks),
                    EvictionPolicy.Predicted => block.LastAccessS + (block.PredictedReuse != 0 ? ReusePredictor.ReusedOffsetS : 0.0),
                    EvictionPolicy.Belady => -(double)block.NextUseRank,
                    _ => block.LastAccessS,
                };
            }
        }
    }
}
