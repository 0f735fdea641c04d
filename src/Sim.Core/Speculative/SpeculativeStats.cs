namespace Sim.Core.Speculative
{
    /// <summary>One replica's speculative decoding so far.</summary>
    public sealed class SpeculativeStats
    {
        /// <summary>Sequence steps that verified drafts (a batch of n drafting sequences counts n).</summary>
        public long VerifySteps;

        public long DraftedTokens;

        public long AcceptedTokens;

        /// <summary>Time the drafter ran (0 for n-gram drafting).</summary>
        public double DraftS;

        /// <summary>Time of the target's batches that verified drafts.</summary>
        public double VerifyS;

        /// <summary>Time of every batch, drafting included: the denominator of the time shares.</summary>
        public double BusyS;
    }
}
