using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Text.Json;
using Sim.Core;

namespace Sim.Headless.Validation
{
    /// <summary>
    /// One of Vidur's reference runs: its <c>summary.json</c> (percentiles in seconds, restarts) and, per request, from
    /// <c>request_metrics.csv.gz</c>: TTFT (<c>prefill_e2e_time</c>), E2E, scheduling delay and mean time per decode token.
    /// </summary>
    public sealed class VidurRun
    {
        public string Name { get; private set; } = "";

        /// <summary>p50, p90, p99 of TTFT, E2E, TBT (per output token) and queueing (Vidur's scheduling delay).</summary>
        public Dictionary<string, double[]> Percentiles { get; } = new Dictionary<string, double[]>(StringComparer.Ordinal);

        public long RestartsTotal { get; private set; }

        public long RequestsRestarted { get; private set; }

        public List<double> TtftS { get; } = new List<double>();

        public List<double> E2eS { get; } = new List<double>();

        public List<double> MeanTbtS { get; } = new List<double>();

        /// <summary>The summary keys read for each compared metric.</summary>
        public static readonly (string Metric, string VidurKey)[] Metrics = { ("ttft", "ttft"), ("e2e", "e2e"), ("tbt", "tbt"), ("queue", "scheduling_delay") };

        public static VidurRun Read(string directory)
        {
            var run = new VidurRun { Name = Path.GetFileName(Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar)) };
            string summaryPath = Path.Combine(directory, "summary.json");
            if (!File.Exists(summaryPath)) throw new SimInputException(summaryPath, 0, "", "file not found: each reference run's folder needs Vidur's summary.json");
            using (JsonDocument summary = JsonDocument.Parse(File.ReadAllText(summaryPath)))
            {
                JsonElement root = summary.RootElement;
                foreach ((string metric, string key) in Metrics)
                {
                    if (!root.TryGetProperty(key, out JsonElement node))
                        throw new SimInputException(summaryPath, 0, key, "missing: Vidur's summary has ttft, e2e, tbt and scheduling_delay percentiles");
                    run.Percentiles[metric] = new[] { node.GetProperty("p50").GetDouble(), node.GetProperty("p90").GetDouble(), node.GetProperty("p99").GetDouble() };
                }
                run.RestartsTotal = root.GetProperty("restarts_total").GetInt64();
                run.RequestsRestarted = root.GetProperty("requests_restarted").GetInt64();
            }
            ReadRequests(Path.Combine(directory, "request_metrics.csv.gz"), run);
            return run;
        }

        static void ReadRequests(string path, VidurRun run)
        {
            if (!File.Exists(path)) throw new SimInputException(path, 0, "", "file not found: each reference run's folder needs Vidur's request_metrics.csv.gz");
            using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
            string[] header = (reader.ReadLine() ?? "").Split(',');
            int ttft = Column(path, header, "prefill_e2e_time"), e2e = Column(path, header, "request_e2e_time");
            int tbt = Column(path, header, "decode_time_execution_plus_preemption_normalized");
            int line = 1;
            for (string? text = reader.ReadLine(); text != null; text = reader.ReadLine())
            {
                line++;
                string[] fields = text.Split(',');
                run.TtftS.Add(Number(path, line, header, fields, ttft));
                run.E2eS.Add(Number(path, line, header, fields, e2e));
                run.MeanTbtS.Add(Number(path, line, header, fields, tbt));
            }
        }

        static int Column(string path, string[] header, string name)
        {
            int index = Array.IndexOf(header, name);
            if (index < 0) throw new SimInputException(path, 1, name, "missing column of Vidur's request metrics");
            return index;
        }

        static double Number(string path, int line, string[] header, string[] fields, int column)
        {
            if (column >= fields.Length || !double.TryParse(fields[column], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                throw new SimInputException(path, line, header[column], "not a number");
            return value;
        }
    }
}
