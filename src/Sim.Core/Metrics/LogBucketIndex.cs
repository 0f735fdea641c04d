using System;
using System.Runtime.CompilerServices;

namespace Sim.Core.Metrics
{
    /// <summary>
    /// A <see cref="LogHistogram"/>'s bucket of a value (<see cref="LogHistogram.BucketOf"/>, clamped to the last bucket), with one logarithm per value only until its bucket's neighbourhood is known: the bucket is a monotone
    /// function of the value (a division, a logarithm, a truncation, a clamp), so a value between two values already found
    /// in one bucket lies in it. A table of log2 by the mantissa's top bits guesses the bucket within one; the guess and its
    /// neighbours are checked against the least and greatest values found in them, and a value outside those is looked up
    /// with the logarithm, widening its bucket's range. The result is the logarithm's bucket, at a few comparisons.
    /// </summary>
    internal sealed class LogBucketIndex
    {
        // log2 of the centre of each of the 2^MantissaBits cells of [1, 2): within 2^-MantissaBits / ln 2 / 2 of any value's,
        // a third of a bucket at a relative width of 2e-3.
        const int MantissaBits = 10;
        static readonly double[] Log2OfCell = Log2Cells();

        static readonly double BucketsPerLog2 = Math.Log(2) / LogHistogram.LogBase;
        static readonly double Log2OfFloor = Math.Log(LogHistogram.FloorS, 2);

        readonly int _last;
        // Per bucket b, at 2b and 2b + 1 (side by side: one cache line), the least and greatest values found in it by the
        // logarithm (0: none yet; bucket 0 holds every value at or below the floor and is never looked up).
        readonly double[] _range;

        public LogBucketIndex(int buckets)
        {
            _last = buckets - 1;
            _range = new double[2 * buckets];
        }

        /// <summary>The bucket of <paramref name="value"/>, as the logarithm gives it.</summary>
        public int Of(double value)
        {
            if (value <= LogHistogram.FloorS) return 0;
            long bits = BitConverter.DoubleToInt64Bits(value);
            int exponent = (int)(bits >> 52) - 1023;
            // Normal finite values only (a NaN or an infinity goes to the logarithm, which the caller's clamp meets as before).
            if (exponent < 1024 && exponent > -1023)
            {
                int cell = (int)(bits >> (52 - MantissaBits)) & ((1 << MantissaBits) - 1);
                int guess = 1 + (int)((exponent + Log2OfCell[cell] - Log2OfFloor) * BucketsPerLog2);
                if (Holds(guess, value)) return guess;
                if (Holds(guess - 1, value)) return guess - 1;
                if (Holds(guess + 1, value)) return guess + 1;
            }
            return Found(value);
        }

        /// <summary><see cref="Of(double)"/>, with the bucket's known range when it is one that <see cref="Holds"/> reads (none otherwise).</summary>
        public int Of(double value, out LogBucketHint hint)
        {
            int bucket = Of(value);
            hint.Bucket = bucket;
            bool ranged = (uint)(bucket - 1) < (uint)_last;
            hint.Least = ranged ? _range[2 * bucket] : double.PositiveInfinity;
            hint.Most = ranged ? _range[2 * bucket + 1] : double.NegativeInfinity;
            return bucket;
        }

        /// <summary>Whether bucket <paramref name="b"/> is one (1 to the last) whose known range holds <paramref name="value"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        bool Holds(int b, double value)
        {
            if ((uint)(b - 1) >= (uint)_last) return false;
            return _range[2 * b] <= value && value <= _range[2 * b + 1];
        }

        /// <summary>The logarithm's bucket of <paramref name="value"/>, its range widened to take it in.</summary>
        int Found(double value)
        {
            int bucket = Math.Min(LogHistogram.BucketOf(value), _last);
            if (bucket <= 0 || double.IsNaN(value)) return bucket;
            ref double least = ref _range[2 * bucket];
            ref double most = ref _range[2 * bucket + 1];
            if (most == 0)
            {
                least = value;
                most = value;
            }
            else if (value < least) least = value;
            else if (value > most) most = value;
            return bucket;
        }

        static double[] Log2Cells()
        {
            var cells = new double[1 << MantissaBits];
            for (int cell = 0; cell < cells.Length; cell++) cells[cell] = Math.Log(1 + (cell + 0.5) / cells.Length, 2);
            return cells;
        }
    }
}
