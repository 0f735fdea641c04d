namespace Sim.Core.Metrics
{
    /// <summary>The figures of one run, as summary.json holds them (times in seconds).</summary>
    public sealed class RunSummary
    {
        public string Scene { get; set; } = "";
        public ulong Seed { get; set; }
        public string Backend { get; set; } = "cpu";

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

        public long PromptTokens { get; set; }

        /// <summary>Prompt tokens served from a prefix cache (no prefix caching in this build, so 0).</summary>
        public long PrefixHitTokens { get; set; }

        public long Iterations { get; set; }
        public double MakespanS { get; set; }

        /// <summary>Real seconds spent simulating; the one figure that differs between identical runs.</summary>
        public double WallS { get; set; }
    }
}
