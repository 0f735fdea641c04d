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

        /// <summary>Part of the stall: prefetch transfers that ran past the layer compute they overlap.</summary>
        public double PrefetchWaitS { get; set; }

        /// <summary>Part of the stall: used experts loaded on demand.</summary>
        public double DemandLoadS { get; set; }

        /// <summary>Share of expert uses at predicted layers whose expert the predictor named (1 without prefetch).</summary>
        public double PredictionRecall { get; set; }

        public double AllToAllS { get; set; }
    }
}
