namespace Sim.Core.Metrics
{
    /// <summary>One replica iteration, as written to iterations.csv.</summary>
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
    }

    /// <summary>Receives every completed iteration (e.g. the iterations.csv writer). Must not allocate per call.</summary>
    public interface IIterationSink
    {
        void OnIteration(in IterationRecord iteration);
    }
}
