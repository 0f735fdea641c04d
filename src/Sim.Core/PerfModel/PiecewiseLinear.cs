using System;
using System.Collections.Generic;
using System.Linq;

namespace Sim.Core.PerfModel
{
    /// <summary>
    /// A measured curve y(x) through table points: exact at each point, the straight line between neighbours (so
    /// monotone between them), and beyond the last point the last segment's slope, never below the last value
    /// (a kernel does not get faster with more work); below the first point, the first value.
    /// Repeated x values (re-measured rows) are averaged.
    /// </summary>
    public sealed class PiecewiseLinear
    {
        readonly double[] _x;
        readonly double[] _y;

        public PiecewiseLinear(IEnumerable<(double X, double Y)> points)
            : this(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray())
        {
        }

        /// <summary>The curve through (<paramref name="xs"/>[i], <paramref name="ys"/>[i]), in any order.</summary>
        public PiecewiseLinear(double[] xs, double[] ys)
        {
            if (xs.Length != ys.Length) throw new ArgumentException("as many y values as x values", nameof(ys));
            if (xs.Length == 0) throw new ArgumentException("a curve needs at least one point", nameof(xs));
            int[] order = StableOrder(xs);
            int distinct = 1;
            for (int i = 1; i < order.Length; i++)
                if (!xs[order[i]].Equals(xs[order[i - 1]])) distinct++;
            // Arrays of the final size, not lists: List<double> is generic code the runtime would compile at start.
            _x = new double[distinct];
            _y = new double[distinct];
            int point = 0;
            for (int i = 0; i < order.Length; point++)
            {
                // A repeated x's values are summed in table order, then divided: the same double as LINQ's Average.
                double x = xs[order[i]], sum = 0;
                long count = 0;
                for (; i < order.Length && xs[order[i]].Equals(x); i++, count++) sum += ys[order[i]];
                _x[point] = x;
                _y[point] = sum / count;
            }
        }

        /// <summary>Indices of <paramref name="keys"/> by ascending key, ties in their original order (a stable sort, as LINQ's OrderBy).</summary>
        internal static int[] StableOrder(double[] keys)
        {
            var order = new int[keys.Length];
            for (int i = 0; i < order.Length; i++) order[i] = i;
            // A merge sort of our own, stable by construction: a profile's thousands of rows sort several times faster than
            // through a comparison delegate, and unlike the runtime's sort of keys with items beside them it is precompiled
            // code (the ReadyToRun build would compile that generic sort at start).
            MergeSort(keys, order, new int[order.Length], 0, order.Length);
            return order;
        }

        /// <summary>Sorts <paramref name="order"/>[first..end) by key, stably, through <paramref name="scratch"/>.</summary>
        static void MergeSort(double[] keys, int[] order, int[] scratch, int first, int end)
        {
            if (end - first <= 16)
            {
                // Insertion sort: an index moves left only past larger keys, so ties keep their order.
                for (int i = first + 1; i < end; i++)
                {
                    int index = order[i];
                    double key = keys[index];
                    int j = i - 1;
                    for (; j >= first && keys[order[j]].CompareTo(key) > 0; j--) order[j + 1] = order[j];
                    order[j + 1] = index;
                }
                return;
            }
            int middle = first + (end - first) / 2;
            MergeSort(keys, order, scratch, first, middle);
            MergeSort(keys, order, scratch, middle, end);
            if (keys[order[middle - 1]].CompareTo(keys[order[middle]]) <= 0) return;
            Array.Copy(order, first, scratch, first, end - first);
            int left = first, right = middle, to = first;
            // On a tie the left half's index goes first: it came first.
            while (left < middle && right < end) order[to++] = keys[scratch[right]].CompareTo(keys[scratch[left]]) < 0 ? scratch[right++] : scratch[left++];
            while (left < middle) order[to++] = scratch[left++];
            while (right < end) order[to++] = scratch[right++];
        }

        /// <summary>The table's x values, ascending and distinct.</summary>
        public IReadOnlyList<double> Xs => _x;

        public double At(double x) => At(Locate(_x, x));

        /// <summary>The value at a <see cref="Locate"/>d place: curves through the same x values share one search.</summary>
        internal double At(in Segment segment) => segment.Blend(_y[segment.Lo], _y[segment.Hi]);

        /// <summary>The x values, ascending and distinct, for <see cref="Locate"/>.</summary>
        internal double[] SortedXs => _x;

        /// <summary>
        /// <see cref="Locate(double[], double)"/> from the place found last, <paramref name="hint"/> (the lower neighbour, kept
        /// here): a decode batch's mean context moves a little a batch, mostly staying between the same two levels. The hint is
        /// checked before use, so a stale one (or one another thread wrote) only costs the search.
        /// </summary>
        internal static Segment Locate(double[] xs, double x, ref int hint)
        {
            int lo = hint;
            if ((uint)lo < (uint)(xs.Length - 1) && xs[lo] < x && x < xs[lo + 1]) return new Segment(lo, lo + 1, (x - xs[lo]) / (xs[lo + 1] - xs[lo]));
            Segment segment = Locate(xs, x);
            hint = segment.Lo;
            return segment;
        }

        /// <summary>Where <paramref name="x"/> falls among the ascending <paramref name="xs"/>: the neighbours to blend and how.</summary>
        internal static Segment Locate(double[] xs, double x)
        {
            int n = xs.Length;
            if (n == 1 || x <= xs[0]) return new Segment(0, 0, 0);
            if (x >= xs[n - 1]) return new Segment(n - 2, n - 1, (x - xs[n - 2]) / (xs[n - 1] - xs[n - 2]));
            int hi = Array.BinarySearch(xs, x);
            if (hi >= 0) return new Segment(hi, hi, 0);
            hi = ~hi;
            return new Segment(hi - 1, hi, (x - xs[hi - 1]) / (xs[hi] - xs[hi - 1]));
        }

        /// <summary>Two neighbouring table points and the share of the way from the first to the second (above 1 past the last point).</summary>
        internal readonly struct Segment
        {
            public Segment(int lo, int hi, double share)
            {
                Lo = lo;
                Hi = hi;
                Share = share;
            }

            public int Lo { get; }

            public int Hi { get; }

            public double Share { get; }

            /// <summary>The value between the neighbours' values; past the last point, never below it.</summary>
            public double Blend(double yLo, double yHi) =>
                Share <= 1 ? yLo + Share * (yHi - yLo) : yHi + Math.Max(0, (Share - 1) * (yHi - yLo));
        }
    }
}
