using System;
using System.Collections.Generic;
using System.Linq;

namespace Sim.Core.PerfModel
{
    /// <summary>
    /// A measured surface z(x, y) from table rows that need not form a full grid: the rows of each y form a
    /// <see cref="PiecewiseLinear"/> curve in x, and between (or past) the levels of y the two neighbouring curves'
    /// values are blended by the same rule. Exact at every table point.
    /// </summary>
    public sealed class PiecewiseLinearSurface
    {
        readonly double[] _levels;
        readonly PiecewiseLinear[] _curves;
        // The level below the y that AtLevels found last (a decode batch's mean context, read every batch).
        int _levelHint;

        public PiecewiseLinearSurface(IEnumerable<(double X, double Y, double Z)> points)
            : this(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray(), points.Select(p => p.Z).ToArray())
        {
        }

        /// <summary>The surface through (<paramref name="xs"/>[i], <paramref name="ys"/>[i], <paramref name="zs"/>[i]), in any order.</summary>
        public PiecewiseLinearSurface(double[] xs, double[] ys, double[] zs)
        {
            if (xs.Length != ys.Length || xs.Length != zs.Length) throw new ArgumentException("as many x, y and z values", nameof(zs));
            if (xs.Length == 0) throw new ArgumentException("a surface needs at least one point", nameof(xs));
            int[] order = PiecewiseLinear.StableOrder(ys);
            int levels = 1;
            for (int i = 1; i < order.Length; i++)
                if (!ys[order[i]].Equals(ys[order[i - 1]])) levels++;
            _levels = new double[levels];
            _curves = new PiecewiseLinear[levels];
            int level = 0;
            for (int i = 0; i < order.Length; level++)
            {
                // Each level's curve takes its points in table order, as the averaging of repeated x values depends on it.
                double y = ys[order[i]];
                int first = i;
                while (i < order.Length && ys[order[i]].Equals(y)) i++;
                var levelXs = new double[i - first];
                var levelZs = new double[i - first];
                for (int k = first; k < i; k++)
                {
                    levelXs[k - first] = xs[order[k]];
                    levelZs[k - first] = zs[order[k]];
                }
                _levels[level] = y;
                _curves[level] = new PiecewiseLinear(levelXs, levelZs);
            }
        }

        public double At(double x, double y)
        {
            PiecewiseLinear.Segment segment = PiecewiseLinear.Locate(_levels, y);
            return segment.Blend(_curves[segment.Lo].At(x), _curves[segment.Hi].At(x));
        }

        /// <summary>Each level's curve at <paramref name="x"/>, by ascending level: <see cref="AtLevels"/> then reads the surface at this x and any y.</summary>
        internal double[] LevelsAt(double x)
        {
            var values = new double[_curves.Length];
            for (int level = 0; level < values.Length; level++) values[level] = _curves[level].At(x);
            return values;
        }

        /// <summary><see cref="At"/>(x, <paramref name="y"/>), to the bit, from <see cref="LevelsAt"/>(x).</summary>
        internal double AtLevels(double[] levelsAtX, double y)
        {
            PiecewiseLinear.Segment segment = PiecewiseLinear.Locate(_levels, y, ref _levelHint);
            return segment.Blend(levelsAtX[segment.Lo], levelsAtX[segment.Hi]);
        }
    }
}
