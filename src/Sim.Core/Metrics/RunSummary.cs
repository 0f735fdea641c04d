namespace Sim.Core.Metrics
{
    /// <summary>The figures of one run, as summary.json holds them (times in seconds).</summary>
    public sealed class RunSummary
    {
        public string Scene { get; set; } = "";
        public ulong Seed { get; set; }
        public string Backend { get; set; } = "cpu";

        /// <summary>The settings that make two runs of one scene file differ (summary.json's <c>settings</c>).</summary>
        public string ModelId { get; set; } = "";
        public string HardwareId { get; set; } = "";
        public string SchedulerPolicy { get; set; } = "";
        public string Router { get; set; } = "";
        public string PerfModel { get; set; } = "";

        /// <summary>The scene's <see cref="Scenes.Scene.Overrides"/>, in the order applied.</summary>
        public System.Collections.Generic.IReadOnlyList<string> Overrides { get; set; } = System.Array.Empty<string>();

        public long RequestsTotal { get; set; }
        public long RequestsCompleted { get; set; }
        public long RequestsRejected { get; set; }

        public Distribution TtftS { get; set; }
        public Distribution TbtS { get; set; }
        public Distribution E2eS { get; set; }
        public Distribution QueueS { get; set; }

        public double RequestsPerS { get; set; }
        public double OutputTokensPerS { get; set; }
        public double TotalTokensPerS { get; set; }

        public double GoodputRequestsPerS { get; set; }
        public double FractionWithinSlo { get; set; }

        public long KvCapacityTokens { get; set; }
        public double KvPeakUtilization { get; set; }
        public double KvMeanUtilization { get; set; }

        public long Preemptions { get; set; }

        /// <summary>Completed requests preempted at least once (Vidur's <c>requests_restarted</c>); <see cref="Preemptions"/> counts the events.</summary>
        public long PreemptedRequests { get; set; }

        public long PromptTokens { get; set; }

        /// <summary>Prompt tokens of completed requests reused from a prefix cache at their first admission.</summary>
        public long PrefixHitTokens { get; set; }

        /// <summary>Of <see cref="PrefixHitTokens"/>, those copied up from the host DRAM tier and from the SSD tier (the rest were in HBM).</summary>
        public long HostHitTokens { get; set; }

        public long SsdHitTokens { get; set; }

        /// <summary>MoE mode's routing and expert-cache figures; null when the scene has no <c>moe:</c>.</summary>
        public MoeSummary? Moe { get; set; }

        /// <summary>KV prediction's figures; null when the scene has no <c>kv_prediction:</c>.</summary>
        public KvPredictionSummary? KvPrediction { get; set; }

        /// <summary>Speculative decoding's figures; null when the scene has no <c>speculative:</c>.</summary>
        public SpeculativeSummary? Speculative { get; set; }

        /// <summary>Token mode's savings and attention cost; null when the scene is not token-level.</summary>
        public KvCompressionSummary? KvCompression { get; set; }

        public long Iterations { get; set; }
        public double MakespanS { get; set; }

        /// <summary>Real seconds spent simulating; the one figure that differs between identical runs.</summary>
        public double WallS { get; set; }
    }
}
