namespace Sim.Core.Metrics
{
    /// <summary>summary.json's <c>kv_prediction</c>: the auxiliary model, the quality proxy and the TTFT gain it buys.</summary>
    public sealed class KvPredictionSummary
    {
        public string Auxiliary { get; set; } = "";

        /// <summary>The scene's quality proxy: share of the base model's accuracy kept with predicted KV.</summary>
        public double AccuracyRetention { get; set; }

        /// <summary>Mean TTFT of the same scene without KV prediction over this one's; null where that run was not made.</summary>
        public double? TtftGain { get; set; }
    }
}
