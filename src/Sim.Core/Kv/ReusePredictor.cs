using Sim.Core.Snapshots;

namespace Sim.Core.Kv
{
    /// <summary>
    /// One replica's one-bit predictions for learned paging: "a request holding this block arrives within the
    /// horizon", read off the <see cref="ReuseOracle"/> and flipped with probability <see cref="ErrorRate"/> from the
    /// replica's own seeded stream, so error 0 is the oracle and error 1 always lies.
    /// </summary>
    public sealed class ReusePredictor : ISnapshotState
    {
        /// <summary>
        /// What a predicted reuse adds to the LRU score: 2^32 s (136 years), more than any run lasts, so every block
        /// predicted reused outranks every one predicted not; a power of two keeps times below 2^32 s exact to 2^-20 s.
        /// </summary>
        public const double ReusedOffsetS = 4294967296.0;

        readonly ReuseOracle _oracle;
        readonly DeterministicRng _rng;

        public ReusePredictor(ReuseOracle oracle, double horizonS, double errorRate, ulong seed, int replica)
        {
            _oracle = oracle;
            HorizonS = horizonS;
            ErrorRate = errorRate;
            _rng = DeterministicRng.ForStream(seed, "reuse-prediction/" + replica);
        }

        public double HorizonS { get; }

        void ISnapshotState.Save(SnapshotWriter writer) => ((ISnapshotState)_rng).Save(writer);

        void ISnapshotState.Load(SnapshotReader reader) => ((ISnapshotState)_rng).Load(reader);

        public double ErrorRate { get; }

        /// <summary>Belady's key for the block keyed <paramref name="key"/>, unheld at <paramref name="nowS"/>: its next request's rank (never wrong).</summary>
        public int NextUseRank(ulong key, double nowS) => _oracle.NextUseRank(key, nowS);

        /// <summary>The bit for the block keyed <paramref name="key"/>, unheld at <paramref name="nowS"/>: 1 predicted reused, 0 not.</summary>
        public int Predict(ulong key, double nowS)
        {
            bool reused = _oracle.ReusedWithin(key, nowS, HorizonS);
            // One draw per prediction whatever the rate: the stream's position depends only on how many blocks were predicted.
            bool wrong = _rng.NextDouble() < ErrorRate;
            return reused != wrong ? 1 : 0;
        }
    }
}
