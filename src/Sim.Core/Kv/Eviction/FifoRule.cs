namespace Sim.Core.Kv.Eviction
{
    /// <summary>First in, first out: the score is when the block's content was cached.</summary>
    public sealed class FifoRule : IEvictionRule
    {
        public string Name => "fifo";

        public double Score(in BlockUsage block, double inflationScore) => block.CachedAtS;
    }
}
