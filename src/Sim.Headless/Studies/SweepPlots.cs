using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ScottPlot;
using Sim.Core.Metrics;
using Sim.Headless.Output;

namespace Sim.Headless.Studies
{
    /// <summary>The sweep's PNG plots: p99 TTFT and TBT against throughput, p99 TTFT per point, TTFT and TBT distributions, and KV utilisation over time.</summary>
    public static class SweepPlots
    {
        const int Width = 900, Height = 560;

        /// <summary>Curves per point get a legend only up to this many points.</summary>
        const int MaxLegendEntries = 12;

        public static void Write(OutputTransaction outputs, SweepFile sweep, IReadOnlyList<SweepPoint> points, IReadOnlyList<PointResult> results)
        {
            Save(outputs, "ttft_vs_throughput.png", LatencyThroughput(sweep, points, results, "TTFT", s => s.TtftS.P99));
            Save(outputs, "tbt_vs_throughput.png", LatencyThroughput(sweep, points, results, "TBT", s => s.TbtS.P99));
            Save(outputs, "ttft_p99_by_point.png", TtftP99ByPoint(sweep, points, results));
            Save(outputs, "ttft_cdf.png", Cdf("TTFT (s)", points.Select((p, i) => (p.Label(sweep), results[i].TtftS, Fractions(results[i].TtftS.Length))).ToList()));
            var percentiles = Enumerable.Range(0, 101).Select(p => p / 100.0).ToArray();
            Save(outputs, "tbt_cdf.png", Cdf("time between tokens (s)", points.Select((p, i) => (p.Label(sweep), results[i].TbtPercentilesS, percentiles)).ToList()));
            Save(outputs, "kv_utilization.png", Curves("seconds since the first arrival", "KV utilisation", points.Select((p, i) => (p.Label(sweep), results[i].TimelineS, results[i].KvUtilization)).ToList()));
        }

        /// <summary>A p99 latency against throughput: one series per value of the first grid key, its points in grid order.</summary>
        static Plot LatencyThroughput(SweepFile sweep, IReadOnlyList<SweepPoint> points, IReadOnlyList<PointResult> results, string latency, Func<RunSummary, double> p99)
        {
            var plot = new Plot();
            foreach (var group in Enumerable.Range(0, points.Count).GroupBy(i => points[i].Values[0]))
            {
                var series = plot.Add.Scatter(group.Select(i => results[i].Summary.RequestsPerS).ToArray(), group.Select(i => p99(results[i].Summary)).ToArray());
                if (sweep.Grid.Count > 1) series.LegendText = sweep.Grid[0].Key + "=" + group.Key;
            }
            plot.XLabel("throughput (requests/s)");
            plot.YLabel(latency + " p99 (s)");
            if (sweep.Grid.Count > 1) plot.ShowLegend();
            return plot;
        }

        /// <summary>One bar per point in grid order; ticks carry the points' labels up to the legend limit, their row numbers in sweep.csv beyond it.</summary>
        static Plot TtftP99ByPoint(SweepFile sweep, IReadOnlyList<SweepPoint> points, IReadOnlyList<PointResult> results)
        {
            var plot = new Plot();
            plot.Add.Bars(results.Select(r => r.Summary.TtftS.P99).ToArray());
            double[] positions = Enumerable.Range(0, points.Count).Select(i => (double)i).ToArray();
            bool labelled = points.Count <= MaxLegendEntries;
            string[] labels = labelled
                ? points.Select(p => string.Join(", ", p.Values)).ToArray()
                : Enumerable.Range(1, points.Count).Select(row => row % 10 == 0 || row == 1 ? row.ToString(System.Globalization.CultureInfo.InvariantCulture) : "").ToArray();
            plot.Axes.Bottom.SetTicks(positions, labels);
            if (labelled)
            {
                plot.Axes.Bottom.TickLabelStyle.Rotation = 30;
                plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
                plot.Axes.Bottom.MinimumSize = 110;
            }
            plot.XLabel(labelled ? string.Join(", ", sweep.Grid.Select(key => key.Key)) : "point (row of sweep.csv)");
            plot.YLabel("TTFT p99 (s)");
            plot.Axes.Margins(bottom: 0);
            return plot;
        }

        static Plot Cdf(string xLabel, List<(string Label, double[] Values, double[] Fractions)> curves) =>
            Curves(xLabel, "fraction of requests", curves.Select(c => (c.Label, c.Values, c.Fractions)).ToList());

        static Plot Curves(string xLabel, string yLabel, List<(string Label, double[] Xs, double[] Ys)> curves)
        {
            var plot = new Plot();
            foreach ((string label, double[] xs, double[] ys) in curves)
            {
                if (xs.Length == 0) continue;
                var line = plot.Add.ScatterLine(xs, ys);
                if (curves.Count <= MaxLegendEntries) line.LegendText = label;
            }
            plot.XLabel(xLabel);
            plot.YLabel(yLabel);
            if (curves.Count <= MaxLegendEntries) plot.ShowLegend();
            return plot;
        }

        /// <summary>The empirical CDF's heights for n sorted values: 1/n, 2/n, ..., 1.</summary>
        static double[] Fractions(int n) => Enumerable.Range(1, n).Select(i => (double)i / n).ToArray();

        static void Save(OutputTransaction outputs, string fileName, Plot plot)
        {
            byte[] png = plot.GetImageBytes(Width, Height, ImageFormat.Png);
            using Stream stream = outputs.Create(fileName);
            stream.Write(png, 0, png.Length);
        }
    }
}
