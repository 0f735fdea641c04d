using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Sim.Core;
using Sim.Core.Scenes;
using Sim.Headless.Cluster;
using Sim.Headless.Output;
using Sim.Headless.Studies;
using Spectre.Console;
using Sim.Headless.CommandLine;

namespace Sim.Headless.Commands
{
    /// <summary><c>sim sweep SWEEP.yaml</c>: every point of a grid of scene overrides, in parallel; sweep.csv and plots.</summary>
    public sealed class SweepCommand : Command<SweepCommand.Settings>
    {
        public sealed class Settings : CommandSettings
        {
            [CommandArgument(0, "<SWEEP>")]
            [Description("Sweep YAML file: scene:, grid: { key.path: [values] }, optional set: { key.path: value }.")]
            public string SweepPath { get; set; } = "";

            [CommandOption("--out <DIR>")]
            [Description("Output folder (default out/<sweep file name>/).")]
            public string? OutDir { get; set; }

            [CommandOption("--parallel <N>")]
            [Description("Points run at once (default: one per core). Outputs do not depend on it.")]
            public int? Parallel { get; set; }

            [CommandOption("--cluster <CONN>")]
            [Description("Run the points on `sim worker`s: localhost, or a Redis connection string (host:port). Outputs do not depend on it.")]
            public string? Cluster { get; set; }

            [CommandOption("--resume")]
            [Description("With --cluster: keep the points already in the output folder, run the rest.")]
            public bool Resume { get; set; }
        }

        public override int Execute(Settings settings)
        {
            int parallel = settings.Parallel ?? Environment.ProcessorCount;
            if (parallel < 1) throw new SimInputException("--parallel", 0, "", "must be at least 1");
            if (settings.Resume && settings.Cluster == null) throw new SimInputException("--resume", 0, "", "needs --cluster (a local sweep keeps no points)");
            SweepFile sweep = SweepFile.Read(settings.SweepPath);
            List<SweepPoint> points = SweepPoint.AllOf(sweep);
            List<Scene> scenes = SweepScenes.Load(sweep, points);
            string outDir = settings.OutDir ?? Path.Combine("out", Path.GetFileNameWithoutExtension(sweep.Path));

            var results = new PointResult[points.Count];
            if (settings.Cluster != null)
            {
                if (!JitCommands.IsAvailable) return JitCompanion.Run("sim sweep --cluster");
                results = ClusterSweep.Run(settings.Cluster, sweep, points, scenes, outDir, settings.Resume);
            }
            var traces = new TraceCache();
            int done = 0;
            if (settings.Cluster == null) Parallel.For(0, points.Count, new ParallelOptions { MaxDegreeOfParallelism = parallel }, i =>
            {
                results[i] = PointResult.Run(scenes[i], traces);
                int finished = Interlocked.Increment(ref done);
                if (!Console.IsErrorRedirected) Console.Error.Write("\rswept " + finished + " of " + points.Count);
            });
            if (!Console.IsErrorRedirected && settings.Cluster == null) Console.Error.WriteLine();

            using (var outputs = new OutputTransaction(outDir))
            {
                using (Stream csv = outputs.Create("sweep.csv"))
                    SweepCsv.Write(csv, sweep, points, results);
                SweepPlots.Write(outputs, sweep, points, results);
                outputs.Commit();
            }
            Print(Terminal.Stdout(), sweep, points, results, outDir);
            return 0;
        }

        static void Print(IAnsiConsole console, SweepFile sweep, IReadOnlyList<SweepPoint> points, IReadOnlyList<PointResult> results, string outDir)
        {
            var table = new Table().AddColumns("point", "req/s", "TTFT p99 (s)", "TBT p99 (s)", "within SLO");
            for (int i = 0; i < points.Count; i++)
            {
                var s = results[i].Summary;
                table.AddRow(Markup.Escape(points[i].Label(sweep)), s.RequestsPerS.ToString("F2", CultureInfo.InvariantCulture),
                    s.TtftS.P99.ToString("F4", CultureInfo.InvariantCulture), s.TbtS.P99.ToString("F4", CultureInfo.InvariantCulture), s.FractionWithinSlo.ToString("P1", CultureInfo.InvariantCulture));
            }
            console.Write(table);
            console.WriteLine(points.Count + " points; outputs in " + outDir);
        }
    }
}
