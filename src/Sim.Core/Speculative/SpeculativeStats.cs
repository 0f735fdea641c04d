using Sim.Core.Snapshots;

namespace Sim.Core.Speculative
{
    /// <summary>One replica's speculative decoding so far.</summary>
    public sealed class SpeculativeStats : ISnapshotState
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

        void ISnapshotState.Save(SnapshotWriter writer)
        {
            writer.Write(VerifySteps);
            writer.Write(DraftedTokens);
            writer.Write(AcceptedTokens);
            writer.Write(DraftS);
            writer.Write(VerifyS);
            writer.Write(BusyS);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            VerifySteps = reader.Read<long>();
            DraftedTokens = reader.Read<long>();
            AcceptedTokens = reader.Read<long>();
            DraftS = reader.Read<double>();
            VerifyS = reader.Read<double>();
            BusyS = reader.Read<double>();
        }
    }
}
