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

        /// <summary>Part of the stall, nested bits only: refinements of hot experts past the layer compute they overlap.</summary>
        public double RefineWaitS { get; set; }

        /// <summary>Expert bytes moved from the offload tier into HBM, per GPU.</summary>
        public double BytesLoaded { get; set; }

        /// <summary>Mean stored bits per weight of the experts serving each token visit (the model's own without nested bits).</summary>
        public double BitsPerToken { get; set; }

        /// <summary>Relative accuracy of the bit mix served (nested bits' per-width quality, token-weighted; 1 without).</summary>
        public double QualityProxy { get; set; }

        /// <summary>Share of expert uses at predicted layers whose expert the predictor named (1 without prefetch).</summary>
        public double PredictionRecall { get; set; }

        public double AllToAllS { get; set; }
    }
}
