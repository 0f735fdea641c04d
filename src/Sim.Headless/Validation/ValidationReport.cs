using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using ScottPlot;
using Sim.Core.Metrics;
using Sim.Headless.Output;

namespace Sim.Headless.Validation
{
    /// <summary>
    /// The comparison <c>sim validate</c> writes: every run's TTFT, E2E, TBT and queueing percentiles beside Vidur's,
    /// preemptions beside Vidur's restarts (validation.csv, validation.md), and CDF overlays of TTFT, E2E and each
    /// request's mean time between tokens (PNG).
    /// </summary>
    public static class ValidationReport
    {
        const int Width = 900, Height = 560;

        static readonly string[] QuantileNames = { "p50", "p90", "p99" };

        public static List<ValidationRow> Rows(string run, RunSummary sim, VidurRun vidur)
        {
            var rows = new List<ValidationRow>();
            foreach ((string metric, _) in VidurRun.Metrics)
            {
                Distribution ours = metric == "ttft" ? sim.TtftS : metric == "e2e" ? sim.E2eS : metric == "tbt" ? sim.TbtS : sim.QueueS;
                double[] values = { ours.P50, ours.P90, ours.P99 };
                for (int q = 0; q < 3; q++)
                    rows.Add(new ValidationRow { Run = run, Metric = metric, Quantile = QuantileNames[q], Sim = values[q], Vidur = vidur.Percentiles[metric][q], HasTarget = metric != "queue" });
            }
            rows.Add(new ValidationRow { Run = run, Metric = "preemptions", Sim = sim.Preemptions, Vidur = vidur.RestartsTotal, HasTarget = true });
            rows.Add(new ValidationRow { Run = run, Metric = "preempted_requests", Sim = sim.PreemptedRequests, Vidur = vidur.RequestsRestarted });
            return rows;
        }

        public static void WriteCsv(OutputTransaction outputs, IEnumerable<ValidationRow> rows)
        {
            using var writer = new StreamWriter(outputs.Create("validation.csv"), new UTF8Encoding(false)) { NewLine = "\n" };
            writer.WriteLine("run,metric,quantile,sim,vidur,error,target,within");
            foreach (ValidationRow row in rows)
                writer.WriteLine(string.Join(",", row.Run, row.Metric, row.Quantile, Number(row.Sim), Number(row.Vidur), Number(row.Error),
                    row.HasTarget ? row.Quantile.Length > 0 ? "10%" : "2x" : "", row.HasTarget ? row.Within ? "yes" : "no" : ""));
        }

        public static void WriteMarkdown(OutputTransaction outputs, IReadOnlyList<ValidationRow> rows)
        {
            using var writer = new StreamWriter(outputs.Create("validation.md"), new UTF8Encoding(false)) { NewLine = "\n" };
            writer.WriteLine("| run | figure | sim | Vidur | sim / Vidur - 1 | target met |");
            writer.WriteLine("|---|---|---|---|---|---|");
            foreach (ValidationRow row in rows)
                writer.WriteLine("| " + row.Run + " | " + (row.Quantile.Length > 0 ? row.Metric + " " + row.Quantile + " (s)" : row.Metric) + " | " + Shown(row.Sim, row) + " | " + Shown(row.Vidur, row) + " | "
                    + (double.IsNaN(row.Error) ? "-" : (row.Error * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + " %") + " | "
                    + (row.HasTarget ? row.Within ? "yes" : "**no**" : "") + " |");
        }

        /// <summary>TTFT, E2E and per-request mean TBT: the simulator's completed requests against Vidur's, one PNG each.</summary>
        public static void WritePlots(OutputTransaction outputs, string run, RequestLog log, VidurRun vidur)
        {
            var ttft = new List<double>();
            var e2e = new List<double>();
            var tbt = new List<double>();
            foreach (RequestRecord record in log.Records)
            {
                if (record.Outcome != RequestOutcome.Completed) continue;
                ttft.Add(record.TtftS);
                e2e.Add(record.E2eS);
                if (record.OutputTokens > 1) tbt.Add(record.MeanTbtS);
            }
            Save(outputs, run + "_ttft_cdf.png", Cdf(run, "TTFT (s)", ttft, vidur.TtftS));
            Save(outputs, run + "_e2e_cdf.png", Cdf(run, "E2E (s)", e2e, vidur.E2eS));
            Save(outputs, run + "_tbt_cdf.png", Cdf(run, "mean time between tokens of a request (s)", tbt, vidur.MeanTbtS));
        }

        static Plot Cdf(string run, string xLabel, List<double> sim, List<double> vidur)
        {
            var plot = new Plot();
            AddCurve(plot, sim, "sim");
            AddCurve(plot, vidur, "Vidur");
            plot.Title(run);
            plot.XLabel(xLabel);
            plot.YLabel("fraction of requests");
            plot.ShowLegend();
            return plot;
        }

        static void AddCurve(Plot plot, List<double> values, string label)
        {
            if (values.Count == 0) return;
            double[] sorted = values.OrderBy(v => v).ToArray();
            double[] fractions = Enumerable.Range(1, sorted.Length).Select(i => (double)i / sorted.Length).ToArray();
            plot.Add.ScatterLine(sorted, fractions).LegendText = label;
        }

        static void Save(OutputTransaction outputs, string fileName, Plot plot)
        {
            byte[] png = plot.GetImageBytes(Width, Height, ImageFormat.Png);
            using Stream stream = outputs.Create(fileName);
            stream.Write(png, 0, png.Length);
        }

        static string Shown(double value, ValidationRow row) => row.Quantile.Length > 0
            ? value.ToString(value < 10 ? "0.0000" : "0.00", CultureInfo.InvariantCulture)
            : value.ToString("0", CultureInfo.InvariantCulture);

        static string Number(double value) => double.IsNaN(value) ? "" : value.ToString("R", CultureInfo.InvariantCulture);
    }
}
