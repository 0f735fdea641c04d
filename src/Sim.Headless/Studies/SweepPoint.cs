using System.Collections.Generic;
using System.Linq;

namespace Sim.Headless.Studies
{
    /// <summary>One point of a sweep's grid: a value for each grid key, in the grid's key order.</summary>
    public sealed class SweepPoint
    {
        SweepPoint(IReadOnlyList<string> values)
        {
            Values = values;
        }

        public IReadOnlyList<string> Values { get; }

        /// <summary>The grid's cartesian product, the first key varying slowest.</summary>
        public static List<SweepPoint> AllOf(SweepFile sweep)
        {
            var points = new List<SweepPoint> { new SweepPoint(new string[0]) };
            foreach (var key in sweep.Grid)
                points = points.SelectMany(point => key.Values.Select(v => new SweepPoint(point.Values.Concat(new[] { v.Value }).ToArray()))).ToList();
            return points;
        }

        /// <summary>The sweep's fixed overrides, then this point's.</summary>
        public string[] Overrides(SweepFile sweep) =>
            sweep.Fixed.Concat(sweep.Grid.Select((key, i) => key.Key + "=" + Values[i])).ToArray();

        public string Label(SweepFile sweep) => string.Join(", ", sweep.Grid.Select((key, i) => key.Key + "=" + Values[i]));
    }
}
