namespace Sim.Core.Metrics
{
    /// <summary>summary.json's <c>speculative</c>: how many tokens each verify step yields and what drafting costs.</summary>
    public sealed class SpeculativeSummary
    {
        /// <summary>The drafter: <c>ngram</c> or a catalog model id.</summary>
        public string Draft { get; set; } = "";

        /// <summary>Sequence steps that verified drafts.</summary>
        public long VerifySteps { get; set; }

        /// <summary>Output tokens per verify step: accepted drafts plus the target's own token.</summary>
        public double MeanTokensPerVerifyStep { get; set; }

        /// <summary>Accepted drafts over drafted tokens.</summary>
        public double AcceptanceRate { get; set; }

        /// <summary>Of the replicas' busy time, the share the drafter ran, and the share of target passes that verified drafts.</summary>
        public double DraftTimeShare { get; set; }

        public double VerifyTimeShare { get; set; }

        /// <summary>Output tokens/s over those of the same scene without speculation; null where that run was not made.</summary>
        public double? SpeedUp { get; set; }
    }
}
