using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Sim.Core;
using Sim.Core.Compute;
using Sim.Core.Metrics;
using Sim.Core.PerfModel;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Headless.Output;
using Spectre.Console;
using Sim.Headless.CommandLine;

namespace Sim.Headless.Commands
{
    /// <summary><c>sim run SCENE.yaml</c>: replay a workload through a scene and write summary.json, requests.csv and iterations.csv.</summary>
    public sealed class RunCommand : Command<RunCommand.Settings>
    {
        public sealed class Settings : SceneSettings
        {
            [CommandOption("--time-scale <X>")]
            [Description("Multiply every inter-arrival gap by X (X < 1 is more load).")]
            public double? TimeScale { get; set; }

            [CommandOption("--backend <BACKEND>")]
            [Description("auto, cpu or vulkan.")]
            public string Backend { get; set; } = "auto";

            [CommandOption("--out <DIR>")]
            [Description("Output folder (default out/<scene name>/).")]
            public string? OutDir { get; set; }

            [CommandOption("--json")]
            [Description("Print summary.json to stdout instead of the table.")]
            public bool Json { get; set; }

            [CommandOption("--timeline <FILE>")]
            [Description("Also write the run as Chrome trace-event JSON (open it in the Perfetto UI).")]
            public string? Timeline { get; set; }

            [CommandOption("--iterations <FORMAT>")]
            [Description("Per-iteration rows: csv (iterations.csv, the default), parquet (iterations.parquet) or none.")]
            public string Iterations { get; set; } = "csv";

            [CommandOption("--timings")]
            [Description("Print where the run's wall time went, phase by phase, to stderr.")]
            public bool Timings { get; set; }

            [CommandOption("--check")]
            [Description("Verify the KV and request invariants after every iteration (slower).")]
            public bool Check { get; set; }
        }

        public override int Execute(Settings settings)
        {
            RunTimings? timings = settings.Timings ? RunTimings.Start(Program.MainTicks, Program.MainUtc) : null;
            Scene scene = settings.LoadScene();
            timings?.Mark("scene load");
            if (settings.TimeScale.HasValue) RunFlags.ApplyTimeScale(scene, settings.TimeScale.Value);
            if (settings.Check) scene.CheckInvariants = true;
            string outDir = settings.OutDir ?? Path.Combine("out", scene.Name);
            IterationsFormat iterationsFormat = IterationsFormats.Parse(settings.Iterations);
            if (iterationsFormat == IterationsFormat.Parquet && !JitCommands.IsAvailable) return JitCompanion.Run("sim run --iterations parquet");
            // The trace is read on this thread while another reads the perf model's attention table (its profile tables are most
            // of the simulation's build), or after the perf model when it has no tables; its error, if any, is still the one
            // reported first.
            var trace = new WorkloadReader(scene);
            IPerfModel? perfModel = PerfModelAhead(scene, trace.Read);
            timings?.Mark("perf model + trace read");
            SceneWorkload workload = trace.Workload();
            timings?.Mark("trace read (its rest)");
            IComputeBackend backend = BackendChoice.Resolve(settings.Backend, RunSizes.Of(scene), Console.Error);
            timings?.Mark("backend");
            RunSummary summary;
            try
            {
                summary = Replay(scene, workload, backend, outDir, Console.Error, settings.Timeline, iterationsFormat, timings: timings, perfModel: perfModel);
            }
            finally
            {
                (backend as IDisposable)?.Dispose();
            }

            if (settings.Json)
                Console.Out.Write(File.ReadAllText(Path.Combine(outDir, "summary.json")));
            else
                SummaryTable.Print(Terminal.Stdout(), summary, outDir);
            if (timings != null)
            {
                timings.Mark("print");
                timings.Print(Console.Error);
            }
            return 0;
        }

        /// <summary>
        /// Replays <paramref name="workload"/> through <paramref name="scene"/> on <paramref name="backend"/> and writes the
        /// three outputs to <paramref name="outDir"/> (and the timeline to <paramref name="timelinePath"/> when given)
        /// together: a failure part-way (a bad trace row, a lost device) leaves none of them.
        /// </summary>
        /// <param name="notices">Where a profile perf model names the operators the roofline fills in.</param>
        /// <param name="iterationsFormat">iterations.csv, iterations.parquet or neither.</param>
        /// <param name="finished">Given the finished run's request log (for the caller's own reports).</param>
        /// <param name="timings">Marks each phase (<c>--timings</c>).</param>
        /// <param name="perfModel">The scene's perf model built ahead (<see cref="PerfModelAhead"/>); the simulation builds it when null.</param>
        internal static RunSummary Replay(Scene scene, SceneWorkload workload, IComputeBackend backend, string outDir, TextWriter notices, string? timelinePath = null,
            IterationsFormat iterationsFormat = IterationsFormat.Csv, Action<RequestLog>? finished = null, RunTimings? timings = null, IPerfModel? perfModel = null)
        {
            using var outputs = new OutputTransaction(outDir);
            // Opened first: a refused target stops the run before any work, and the timeline commits with the rest.
            using Stream? timelineStream = timelinePath == null ? null : outputs.CreateAt(timelinePath, "--timeline");
            RunSummary summary;
            IIterationSink? iterations = IterationsFormats.Open(iterationsFormat, outputs);
            using ((IDisposable?)iterations)
            using (TimelineJson? timeline = timelineStream == null ? null : new TimelineJson(timelineStream))
            using (var simulation = new Simulation(scene, workload.Requests, workload.Count, workload.SourceName,
                timings == null ? Sinks(iterations, timeline) : timings.Timed(Sinks(iterations, timeline)), perfModel, backend))
            {
                timings?.Mark("simulation build");
                if (simulation.Cluster.Replicas[0].PerfModel is ProfilePerfModel profile && profile.FilledOperators.Count > 0)
                    notices.WriteLine("perf model: from the roofline (not in the tables): " + string.Join(", ", profile.FilledOperators));
                var clock = Stopwatch.StartNew();
                RunWithProgress(simulation, workload.Count);
                timings?.Mark("loop");
                summary = SummaryBuilder.Build(simulation, backend.Name, clock.Elapsed.TotalSeconds);
                timings?.Mark("summary statistics");
                if (summary.Speculative != null || summary.KvPrediction != null)
                {
                    RunSummary plain = WithoutTechniques(scene, backend);
                    if (summary.Speculative != null) summary.Speculative.SpeedUp = summary.OutputTokensPerS / plain.OutputTokensPerS;
                    if (summary.KvPrediction != null) summary.KvPrediction.TtftGain = plain.TtftS.Mean / summary.TtftS.Mean;
                }
                using (Stream requests = outputs.Create("requests.csv"))
                    RequestsCsv.Write(requests, simulation.Log);
                timings?.Mark("requests.csv");
                finished?.Invoke(simulation.Log);
            }
            timings?.Mark("iteration rows flush");
            using (Stream json = outputs.Create("summary.json"))
            {
                SummaryJson.Write(json, summary);
                json.WriteByte((byte)'\n');
            }
            timings?.Mark("summary.json");
            outputs.Commit();
            timings?.Mark("commit (rename)");
            return summary;
        }

        /// <summary>
        /// The perf model of a one-pool scene, built now rather than in the simulation's build; null for a disaggregated scene, or
        /// when building it fails: the simulation's build then meets the same failure where it always did (after the output
        /// folder is opened and the scene's KV capacity checked), so the error a run reports does not depend on this.
        /// </summary>
        static IPerfModel? PerfModelAhead(Scene scene, Action meanwhile)
        {
            try
            {
                return ScenePerfModels.OfOnePool(scene, meanwhile);
            }
            catch (Exception)
            {
                return null;
            }
        }

        static IIterationSink? Sinks(IIterationSink? iterations, IIterationSink? timeline) =>
            iterations == null ? timeline : timeline == null ? iterations : new IterationFanOut(iterations, timeline);

        /// <summary>The same scene and workload without <c>speculative:</c> and <c>kv_prediction:</c>, run to the end for their gains.</summary>
        static RunSummary WithoutTechniques(Scene scene, IComputeBackend backend)
        {
            SpeculativeDecoding? speculative = scene.Speculative;
            KvPrediction? prediction = scene.KvPrediction;
            scene.Speculative = null;
            scene.KvPrediction = null;
            try
            {
                SceneWorkload workload = SceneWorkload.Open(scene);
                using var simulation = new Simulation(scene, workload.Requests, workload.Count, workload.SourceName, backend: backend);
                simulation.Run();
                return SummaryBuilder.Build(simulation, backend.Name, 0);
            }
            finally
            {
                scene.Speculative = speculative;
                scene.KvPrediction = prediction;
            }
        }

        /// <summary>Runs to the end; on a terminal, shows progress on stderr.</summary>
        static void RunWithProgress(Simulation simulation, long expectedRequests)
        {
            if (Console.IsErrorRedirected || expectedRequests < 10000)
            {
                simulation.Run();
                return;
            }
            var console = Terminal.Stderr();
            console.Progress().Start(progress =>
            {
                ProgressTask task = progress.AddTask("replaying", maxValue: expectedRequests);
                // Every 65536 steps or more: a fast-forward move runs thousands of steps in one call.
                long nextUpdate = 0;
                while (simulation.Step())
                {
                    if (simulation.Steps < nextUpdate) continue;
                    task.Value = simulation.Log.Completed + simulation.Log.Rejected;
                    nextUpdate = simulation.Steps + 0x10000;
                }
                task.Value = expectedRequests;
            });
            simulation.Run();
        }
    }
}
