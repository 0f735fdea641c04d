using System;
using System.ComponentModel;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using Sim.Core;
using Sim.Core.Metrics;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Core.Trace;
using Sim.Headless.Cluster;
using Sim.Headless.Output;
using Sim.Headless.Studies;
using Spectre.Console;
using Sim.Headless.CommandLine;

namespace Sim.Headless.Commands
{
    /// <summary><c>sim capacity SCENE.yaml --slo ttft_p99=2,tbt_p99=0.2</c>: the highest arrival rate meeting the SLO, by search over the time scale.</summary>
    public sealed class CapacityCommand : Command<CapacityCommand.Settings>
    {
        public sealed class Settings : SceneSettings
        {
            [CommandOption("--slo <BOUNDS>")]
            [Description("Bounds that must all hold, in seconds: key=value,... with keys <ttft|tbt|e2e|queue>_<mean|p50|p90|p99|max>.")]
            public string? Slo { get; set; }

            [CommandOption("--tolerance <X>")]
            [Description("Stop when the highest passing and lowest failing rates are within this relative gap (default 0.02).")]
            public double Tolerance { get; set; } = 0.02;

            [CommandOption("--cluster <CONN>")]
            [Description("Run the probes on `sim worker`s: localhost, or a Redis connection string (host:port). The answer does not depend on it.")]
            public string? Cluster { get; set; }

            [CommandOption("--json")]
            [Description("Print the result as JSON.")]
            public bool Json { get; set; }

            [CommandOption("--parallel <N>")]
            [Description("Runs at once (default: one per core): the loads the search tries next, run ahead. The result does not depend on it.")]
            public int? Parallel { get; set; }
        }

        public override int Execute(Settings settings)
        {
            if (settings.Slo == null) throw new SimInputException("--slo", 0, "", "missing; e.g. --slo ttft_p99=2,tbt_p99=0.2");
            var slo = SloTarget.ParseList(settings.Slo);
            if (!(settings.Tolerance > 0) || settings.Tolerance >= 1) throw new SimInputException("--tolerance", 0, "", "must be above 0 and below 1");
            // One scene, catalog and trace for every load tried: only the time scale differs between runs.
            Scene scene = settings.LoadScene();
            var traces = new TraceCache();
            (long requests, double spanS) = ArrivalSpan(scene, traces);
            int parallel = settings.Parallel ?? Environment.ProcessorCount;
            if (parallel < 1) throw new SimInputException("--parallel", 0, "", "must be at least 1");
            CapacityResult result;
            if (settings.Cluster != null)
            {
                if (!JitCommands.IsAvailable) return JitCompanion.Run("sim capacity --cluster");
                result = ClusterCapacityProbes.Run(settings.Cluster, settings, scene, slo, settings.Tolerance);
            }
            else result = CapacitySearch.Run(scale => SceneRun.Summarize(scene.WithTimeScale(scale), "cpu", traces), slo, settings.Tolerance, parallel);
            double RateAt(double scale) => requests / (spanS * scale);

            if (settings.Json)
            {
                Console.Out.WriteLine(Json(result, slo, RateAt));
                return 0;
            }
            IAnsiConsole console = Terminal.Stdout();
            if (!result.Met)
                console.WriteLine(string.Format(CultureInfo.InvariantCulture, "the SLO is not met even at {0:G4} requests/s (time scale {1:G4}); limiting: {2}",
                    RateAt(result.Scale), result.Scale, Describe(result.Limiting!, result.FailingAt!)));
            else
                console.WriteLine(string.Format(CultureInfo.InvariantCulture, "capacity: {0:G4} requests/s (time scale {1:G4}, {2} runs); limiting: {3}",
                    RateAt(result.Scale), result.Scale, result.Runs,
                    result.Limiting == null ? "none within the search range" : Describe(result.Limiting, result.FailingAt!) + string.Format(CultureInfo.InvariantCulture, " at {0:G4} requests/s", RateAt(result.FailingScale))));
            var table = new Table().AddColumns("SLO", "bound (s)", "at capacity (s)");
            foreach (SloTarget target in slo)
                table.AddRow(target.Key, target.BoundS.ToString("G4", CultureInfo.InvariantCulture), target.ValueIn(result.AtScale).ToString("G4", CultureInfo.InvariantCulture));
            console.Write(table);
            return 0;
        }

        static string Describe(SloTarget target, RunSummary failing) =>
            string.Format(CultureInfo.InvariantCulture, "{0} {1:G4} s > {2:G4} s", target.Key, target.ValueIn(failing), target.BoundS);

        /// <summary>Requests in the workload and the time from its first arrival to its last, at time scale 1.</summary>
        static (long Requests, double SpanS) ArrivalSpan(Scene scene, TraceCache traces)
        {
            scene.TimeScale = 1;
            long count = 0;
            double firstS = 0, lastS = 0;
            foreach (TraceRequest request in SceneWorkload.Open(scene, traces).Requests)
            {
                if (count++ == 0) firstS = request.ArrivalS;
                lastS = request.ArrivalS;
            }
            if (count < 2 || !(lastS > firstS))
                throw new SimInputException(scene.SourcePath, 0, "workload", "capacity search needs at least two requests arriving at different times");
            return (count, lastS - firstS);
        }

        static string Json(CapacityResult result, System.Collections.Generic.IReadOnlyList<SloTarget> slo, Func<double, double> rateAt)
        {
            using var stream = new MemoryStream();
            using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartObject();
                json.WriteBoolean("met", result.Met);
                json.WriteNumber("requests_per_s", rateAt(result.Scale));
                json.WriteNumber("time_scale", result.Scale);
                json.WriteNumber("runs", result.Runs);
                if (result.Limiting != null)
                {
                    json.WriteStartObject("limiting");
                    json.WriteString("slo", result.Limiting.Key);
                    json.WriteNumber("value_s", result.Limiting.ValueIn(result.FailingAt!));
                    json.WriteNumber("bound_s", result.Limiting.BoundS);
                    json.WriteNumber("requests_per_s", rateAt(result.FailingScale));
                    json.WriteEndObject();
                }
                json.WriteStartObject("at_capacity");
                foreach (SloTarget target in slo) json.WriteNumber(target.Key, target.ValueIn(result.AtScale));
                json.WriteEndObject();
                json.WriteEndObject();
            }
            return Encoding.UTF8.GetString(stream.ToArray());
        }
    }
}
