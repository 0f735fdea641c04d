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

        public PiecewiseLinearSurface(IEnumerable<(double X, double Y, double Z)> points)
        {
            var byLevel = points.GroupBy(p => p.Y).OrderBy(g => g.Key).ToArray();
            if (byLevel.Length == 0) throw new ArgumentException("a surface needs at least one point", nameof(points));
            _levels = byLevel.Select(g => g.Key).ToArray();
            _curves = byLevel.Select(g => new PiecewiseLinear(g.Select(p => (p.X, p.Z)))).ToArray();
        }

        public double At(double x, double y)
        {
            PiecewiseLinear.Segment segment = PiecewiseLinear.Locate(_levels, y);
            return segment.Blend(_curves[segment.Lo].At(x), _curves[segment.Hi].At(x));
        }
    }
}
