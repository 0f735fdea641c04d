using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ScottPlot;
using Sim.Core.Metrics;
using Sim.Headless.Output;

namespace Sim.Headless.Studies
{
    /// <summary>
    /// The sweep's PNG plots: p99 TTFT and TBT against throughput, p99 TTFT per point, the TTFT and token-gap
    /// distributions, and KV utilisation over time. Legends sit right of the data area, never on it; every axis here
    /// holds a quantity that cannot be negative, so each starts at zero.
    /// </summary>
    public static class SweepPlots
    {
        internal const int Width = 900, Height = 560;

        public static void Write(OutputTransaction outputs, SweepFile sweep, IReadOnlyList<SweepPoint> points, IReadOnlyList<PointResult> results)
        {
            foreach ((string fileName, Plot plot) in Build(sweep, points, results))
                Save(outputs, fileName, plot);
        }

        /// <summary>The plots by file name, not yet drawn.</summary>
        internal static List<(string FileName, Plot Plot)> Build(SweepFile sweep, IReadOnlyList<SweepPoint> points, IReadOnlyList<PointResult> results)
        {
            var percentiles = Enumerable.Range(0, 101).Select(p => p / 100.0).ToArray();
            return new List<(string, Plot)>
            {
                ("ttft_vs_throughput.png", LatencyThroughput(sweep, points, results, "TTFT", s => s.TtftS.P99)),
                ("tbt_vs_throughput.png", LatencyThroughput(sweep, points, results, "TBT", s => s.TbtS.P99)),
                ("ttft_p99_by_point.png", TtftP99ByPoint(sweep, points, results)),
                ("ttft_cdf.png", Curves("TTFT (s)", "fraction of completed requests", 1,
                    points.Select((p, i) => (p.Label(sweep), results[i].TtftS, Fractions(results[i].TtftS.Length))).ToList())),
                ("tbt_cdf.png", Curves("time between consecutive output tokens (s)", "fraction of token gaps", 1,
                    points.Select((p, i) => (p.Label(sweep), results[i].TbtPercentilesS, percentiles)).ToList())),
                ("kv_utilization.png", Curves("simulated seconds since the first arrival", "KV utilisation (share of the cluster's pages)", 1,
                    points.Select((p, i) => (p.Label(sweep), results[i].TimelineS, results[i].KvUtilization)).ToList())),
            };
        }

        /// <summary>A p99 latency against throughput: one series per value of the first grid key, its points in grid order.</summary>
        static Plot LatencyThroughput(SweepFile sweep, IReadOnlyList<SweepPoint> points, IReadOnlyList<PointResult> results, string latency, Func<RunSummary, double> p99)
        {
            var plot = new Plot();
            var groups = Enumerable.Range(0, points.Count).GroupBy(i => points[i].Values[0]).ToList();
            bool legend = sweep.Grid.Count > 1 && groups.Count <= SeriesStyle.Distinct;
            for (int g = 0; g < groups.Count; g++)
            {
                var series = plot.Add.Scatter(groups[g].Select(i => results[i].Summary.RequestsPerS).ToArray(), groups[g].Select(i => p99(results[i].Summary)).ToArray());
                series.Color = SeriesStyle.Colour(g);
                series.LinePattern = SeriesStyle.Pattern(g);
                if (legend) series.LegendText = sweep.Grid[0].Key + "=" + groups[g].Key;
            }
            plot.XLabel("throughput (completed requests/s)");
            plot.YLabel(latency + " p99 (s)");
            if (legend) plot.ShowLegend(Edge.Right);
            FromZero(plot, null);
            return plot;
        }

        /// <summary>One bar per point in grid order; ticks carry the points' labels up to the legend limit, their row numbers in sweep.csv beyond it.</summary>
        static Plot TtftP99ByPoint(SweepFile sweep, IReadOnlyList<SweepPoint> points, IReadOnlyList<PointResult> results)
        {
            var plot = new Plot();
            plot.Add.Bars(results.Select(r => r.Summary.TtftS.P99).ToArray());
            double[] positions = Enumerable.Range(0, points.Count).Select(i => (double)i).ToArray();
            bool labelled = points.Count <= SeriesStyle.Distinct;
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

        /// <param name="yTop">The highest y the quantity can take (1 for a fraction), shown whole; null to fit the data.</param>
        static Plot Curves(string xLabel, string yLabel, double? yTop, List<(string Label, double[] Xs, double[] Ys)> curves)
        {
            var plot = new Plot();
            bool legend = curves.Count <= SeriesStyle.Distinct;
            for (int c = 0; c < curves.Count; c++)
            {
                (string label, double[] xs, double[] ys) = curves[c];
                if (xs.Length == 0) continue;
                var line = plot.Add.ScatterLine(xs, ys);
                line.Color = SeriesStyle.Colour(c);
                line.LinePattern = SeriesStyle.Pattern(c);
                if (legend) line.LegendText = label;
            }
            plot.XLabel(xLabel);
            plot.YLabel(yLabel);
            if (legend) plot.ShowLegend(Edge.Right);
            FromZero(plot, yTop);
            return plot;
        }

        /// <summary>Fits the axes to the data, then starts both at zero (and, given <paramref name="yTop"/>, ends y a little above it).</summary>
        static void FromZero(Plot plot, double? yTop)
        {
            plot.Axes.AutoScale();
            AxisLimits fitted = plot.Axes.GetLimits();
            plot.Axes.SetLimitsX(0, Math.Max(fitted.Right, 1e-9));
            plot.Axes.SetLimitsY(0, yTop.HasValue ? yTop.Value * 1.04 : Math.Max(fitted.Top, 1e-9));
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
