namespace Sim.Core.Kv.Eviction
{
    /// <summary>
    /// Belady's farthest-in-future rule (Belady, "A study of replacement algorithms for a virtual-storage computer", IBM
    /// Systems Journal 5(2), 1966), the offline baseline of learned paging: the block whose next request arrives last
    /// leaves first, one never requested again before any other. The next request is read off the workload ahead
    /// (<see cref="ReuseOracle.NextUseRank"/>) as the block becomes unheld.
    /// </summary>
    public sealed class BeladyRule : IEvictionRule
    {
        public string Name => "belady";

        public double Score(in BlockUsage block, double inflationScore) => -(double)block.NextUseRank;
    }
}
