namespace Sim.Core.Metrics
{
    /// <summary>The compact, final record of one request (one row of requests.csv). Times in simulated seconds; NaN when not reached.</summary>
    public struct RequestRecord
    {
        public long Id;

        /// <summary>-1 when rejected before routing; the prefill replica when disaggregated.</summary>
        public int Replica;

        /// <summary>The decode replica that generated the rest when disaggregated; -1 otherwise.</summary>
        public int DecodeReplica;

        public double ArrivalS;

        public int PromptTokens;

        public int OutputTokens;

        public double FirstScheduledS;

        public double FirstTokenS;

        public double FinishS;

        public double MaxTbtS;

        public int Preemptions;

        /// <summary>Prompt tokens reused from the prefix cache at first admission; of them, those copied up from host DRAM and from SSD.</summary>
        public int PrefixHitTokens;

        public int HostHitTokens;

        public int SsdHitTokens;

        public RequestOutcome Outcome;

        public double QueueS => FirstScheduledS - ArrivalS;

        public double TtftS => FirstTokenS - ArrivalS;

        public double E2eS => FinishS - ArrivalS;

        /// <summary>Mean gap between output tokens (time per output token after the first); 0 for one-token outputs.</summary>
        public double MeanTbtS => OutputTokens > 1 ? (FinishS - FirstTokenS) / (OutputTokens - 1) : 0;
    }

    public enum RequestOutcome : byte
    {
        /// <summary>Not ended yet.</summary>
        Pending,
        Completed,

        /// <summary>Longer than the model's context or the replica's KV capacity.</summary>
        Rejected,
    }
}
