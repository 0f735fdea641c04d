using System;
using Sim.Core.Snapshots;

namespace Sim.Core.Metrics
{
    /// <summary>
    /// Streaming quantiles of positive values in constant memory: log-spaced buckets with a fixed relative
    /// width, so any quantile is known within <see cref="RelativePrecision"/>. Used for inter-token gaps,
    /// whose count (every output token of every request) is too large to keep. Exact count, sum, min and max.
    /// </summary>
    public sealed class LogHistogram : ISnapshotState
    {
        public const double RelativePrecision = 1e-3;

        // Values below the floor (including 0) share bucket 0; 1 µs is far below any simulated token gap.
        internal const double FloorS = 1e-6;
        internal static readonly double LogBase = Math.Log(1 + 2 * RelativePrecision);

        // As many additions as RepeatedAddition's own steps cost: fewer are made one at a time.
        const int FewAdditions = 8;

        readonly long[] _counts;
        readonly LogBucketIndex _buckets;

        public LogHistogram(double maxValue = 1e5)
        {
            _counts = new long[BucketOf(maxValue) + 2];
            _buckets = new LogBucketIndex(_counts.Length);
        }

        public long Count { get; private set; }

        public double Sum { get; private set; }

        public double Min { get; private set; } = double.PositiveInfinity;

        public double Max { get; private set; } = double.NegativeInfinity;

        void ISnapshotState.Save(SnapshotWriter writer)
        {
            writer.Write(_counts);
            writer.Write(Count);
            writer.Write(Sum);
            writer.Write(Min);
            writer.Write(Max);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            reader.ReadInto(_counts);
            Count = reader.Read<long>();
            Sum = reader.Read<double>();
            Min = reader.Read<double>();
            Max = reader.Read<double>();
        }

        public double Mean => Count > 0 ? Sum / Count : 0;

        /// <summary>Adds the values of <paramref name="other"/> (of the same bucket range): their counts, then their sum as one addition.</summary>
        internal void Absorb(LogHistogram other)
        {
            for (int bucket = 0; bucket < _counts.Length; bucket++) _counts[bucket] += other._counts[bucket];
            Count += other.Count;
            Sum += other.Sum;
            Min = Math.Min(Min, other.Min);
            Max = Math.Max(Max, other.Max);
        }

        public void Add(double value)
        {
            _counts[_buckets.Of(value)]++;
            Count++;
            Sum += value;
            if (value < Min) Min = value;
            if (value > Max) Max = value;
        }

        /// <summary>
        /// Adds <paramref name="value"/> <paramref name="times"/> times, as that many calls of <see cref="Add(double)"/> would:
        /// one bucket look-up, and the sum rounded exactly as theirs is (many additions by <see cref="RepeatedAddition"/>).
        /// </summary>
        public void Add(double value, int times)
        {
            if (times > 0) AddTo(_buckets.Of(value), value, times);
        }

        /// <summary>
        /// <see cref="Add(double, int)"/>, the bucket read from <paramref name="hint"/> when its range holds the value, else looked
        /// up and kept in it.
        /// </summary>
        internal void Add(double value, int times, ref LogBucketHint hint)
        {
            if (times > 0) AddTo(hint.Holds(value) ? hint.Bucket : _buckets.Of(value, out hint), value, times);
        }

        void AddTo(int bucket, double value, int times)
        {
            _counts[bucket] += times;
            Count += times;
            if (times > FewAdditions) Sum = RepeatedAddition.Of(Sum, value, times);
            else
            {
                double sum = Sum;
                for (int n = 0; n < times; n++) sum += value;
                Sum = sum;
            }
            if (value < Min) Min = value;
            if (value > Max) Max = value;
        }

        /// <summary>
        /// The nearest-rank quantile (the value of rank ceil(q·n)), reported as the centre of its bucket
        /// clamped to the observed range: within <see cref="RelativePrecision"/> of the exact value.
        /// </summary>
        public double Quantile(double q)
        {
            if (Count == 0) return 0;
            long rank = Quantiles.NearestRank(q, Count);
            long seen = 0;
            for (int bucket = 0; bucket < _counts.Length; bucket++)
            {
                seen += _counts[bucket];
                if (seen >= rank) return Math.Min(Max, Math.Max(Min, Centre(bucket)));
            }
            return Max;
        }

        internal static int BucketOf(double value) => value <= FloorS ? 0 : 1 + (int)(Math.Log(value / FloorS) / LogBase);

        // Bucket b >= 1 spans [floor·base^(b-1), floor·base^b); its geometric centre is within the precision of both ends.
        static double Centre(int bucket) => bucket == 0 ? 0 : FloorS * Math.Exp((bucket - 0.5) * LogBase);
    }
}
