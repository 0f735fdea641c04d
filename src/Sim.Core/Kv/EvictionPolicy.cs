namespace Sim.Core.Kv
{
    /// <summary>How unreferenced cached KV pages are ranked for eviction (<c>kv.eviction</c>); the lowest score goes first.</summary>
    public enum EvictionPolicy
    {
        /// <summary>Least recently used: score is the last time a request used the page.</summary>
        Lru,

        /// <summary>Least frequently used: score is how many requests used the page.</summary>
        Lfu,

        /// <summary>First in, first out: score is when the page's content was cached.</summary>
        Fifo,

        /// <summary>
        /// Greedy-Dual-Size-Frequency: score is the tier's inflation plus uses divided by the cached prompt's length in
        /// pages, so one-off long prompts leave before short, popular prefixes; the inflation (the last evicted score)
        /// ages everything that stays.
        /// </summary>
        SizeAware,

        /// <summary>
        /// Learned paging with a one-bit prediction per block (after Antoniadis et al., "Paging with Succinct
        /// Predictions", ICML 2023): blocks predicted not to be reused within the horizon leave first, least recently
        /// used first among equals. The bit comes from <see cref="ReusePredictor"/>.
        /// </summary>
        Predicted,

        /// <summary>
        /// Belady's farthest-in-future rule (Belady, "A study of replacement algorithms for a virtual-storage computer",
        /// IBM Systems Journal 5(2), 1966), the offline baseline of learned paging: the block whose next request arrives
        /// last leaves first, one never requested again before any other. The next request is read off the workload
        /// ahead (<see cref="ReuseOracle.NextUseRank"/>) as the block becomes unheld.
        /// </summary>
        Belady,
    }

    public static class EvictionPolicies
    {
        public static readonly string[] Names = { "lru", "lfu", "fifo", "size-aware", "predicted", "belady" };

        public static EvictionPolicy Parse(string name) => name switch
        {
            "lfu" => EvictionPolicy.Lfu,
            "fifo" => EvictionPolicy.Fifo,
            "size-aware" => EvictionPolicy.SizeAware,
            "predicted" => EvictionPolicy.Predicted,
            "belady" => EvictionPolicy.Belady,
            _ => EvictionPolicy.Lru,
        };

        /// <summary>Whether the policy reads the workload ahead (a <see cref="ReuseOracle"/> and a <see cref="ReusePredictor"/>).</summary>
        public static bool ReadsFuture(this EvictionPolicy policy) => policy == EvictionPolicy.Predicted || policy == EvictionPolicy.Belady;
    }
}
