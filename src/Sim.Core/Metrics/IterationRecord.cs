namespace Sim.Core.Metrics
{
    /// <summary>One replica iteration, as written to iterations.csv (and the timeline, which also shows expert loads and hand-offs).</summary>
    public struct IterationRecord
    {
        public int Replica;
        public long Iteration;
        public double StartS;
        public double DurationS;
        public int NumSeqs;
        public int PrefillTokens;
        public int DecodeTokens;
        public int Preempted;
        public int KvUsedPages;
        public int KvTotalPages;
        public int Waiting;
        public int Running;

        /// <summary>Of <see cref="DurationS"/>, the KV copies the iteration waited for (lower-tier cache hits, swaps).</summary>
        public double TransferS;

        /// <summary>Of <see cref="DurationS"/>, the wait for MoE experts loaded into HBM.</summary>
        public double ExpertLoadS;

        /// <summary>Requests handed to the decode pool at the iteration's end, and the longest of their KV transfers.</summary>
        public int HandOffs;

        public double HandOffS;
    }

    /// <summary>Receives every completed iteration (e.g. the iterations.csv writer). Must not allocate per call.</summary>
    public interface IIterationSink
    {
        void OnIteration(in IterationRecord iteration);
    }
}
