namespace Sim.Core.Kv.Eviction
{
    /// <summary>Least frequently used: the score is how many requests used the block.</summary>
    public sealed class LfuRule : IEvictionRule
    {
        public string Name => "lfu";

        public double Score(in BlockUsage block, double inflationScore) => block.AccessCount;
    }
}
