using System;

namespace Sim.Core.Kv.Eviction
{
    /// <summary>
    /// Greedy-Dual-Size-Frequency: the tier's inflation plus uses divided by the cached prompt's length in blocks, so
    /// one-off long prompts leave before short, popular prefixes; the inflation (the last evicted score) ages everything
    /// that stays.
    /// </summary>
    public sealed class SizeAwareRule : IEvictionRule
    {
        public string Name => "size-aware";

        public double Score(in BlockUsage block, double inflationScore) => inflationScore + (double)block.AccessCount / Math.Max(1, block.ChainBlocks);
    }
}
