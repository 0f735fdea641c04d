namespace Sim.Core.Metrics
{
    /// <summary>summary.json's <c>moe</c>: routing balance, expert-cache behaviour and the time experts cost beyond compute.</summary>
    public sealed class MoeSummary
    {
        public double TokensRouted { get; set; }

        /// <summary>Busiest expert's tokens over the mean expert's, averaged over layer steps (1 is perfectly even).</summary>
        public double LoadImbalance { get; set; }

        public long CacheHits { get; set; }

        public long CacheMisses { get; set; }

        public double CacheHitRate { get; set; }

        public long PrefetchesIssued { get; set; }

        public long PrefetchesUseful { get; set; }

        public double StallS { get; set; }

        public double AllToAllS { get; set; }
    }
}
