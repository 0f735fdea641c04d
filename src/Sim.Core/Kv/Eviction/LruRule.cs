namespace Sim.Core.Kv.Eviction
{
    /// <summary>Least recently used: the score is the last time a request used the block.</summary>
    public sealed class LruRule : IEvictionRule
    {
        public string Name => "lru";

        public double Score(in BlockUsage block, double inflationScore) => block.LastAccessS;
    }
}
