using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Linq;
using System.Threading;
using Sim.Core;
using Sim.Core.Compute;
using Sim.Core.Metrics;
using Sim.Core.Scenes;
using Sim.Headless.Output;
using Sim.Headless.Validation;
using Spectre.Console;
using Sim.Headless.CommandLine;

namespace Sim.Headless.Commands
{
    /// <summary>
    /// <c>sim validate</c>: runs each scene <c>vidur-RUN.yaml</c> of the validation folder and sets its figures beside Vidur's
    /// reference run <c>RUN</c> (dashes as underscores) of the anchors folder (docs/validation.md).
    /// </summary>
    public sealed class ValidateCommand : Command<ValidateCommand.Settings>
    {
        public sealed class Settings : CommandSettings
        {
            [CommandOption("--scenes <DIR>")]
            [Description("Folder of vidur-RUN.yaml scenes (default scenes/validation).")]
            public string ScenesDir { get; set; } = Path.Combine("scenes", "validation");

            [CommandOption("--anchors <DIR>")]
            [Description("Folder of Vidur's reference runs, one RUN folder each (default ../shared/anchors/vidur-1k).")]
            public string AnchorsDir { get; set; } = Path.Combine("..", "shared", "anchors", "vidur-1k");

            [CommandOption("--out <DIR>")]
            [Description("Output folder (default out/validation/).")]
            public string OutDir { get; set; } = Path.Combine("out", "validation");
        }

        public override int Execute(Settings settings)
        {
            List<(string Run, string ScenePath, string AnchorDir)> pairs = Pairs(settings);
            var rows = new List<ValidationRow>();
            using var outputs = new OutputTransaction(settings.OutDir);
            foreach ((string run, string scenePath, string anchorDir) in pairs)
            {
                VidurRun vidur = VidurRun.Read(anchorDir);
                Scene scene = SceneLoader.Load(scenePath, Array.Empty<string>());
                SceneWorkload workload = SceneWorkload.Open(scene);
                RequestLog? log = null;
                RunSummary summary = RunCommand.Replay(scene, workload, CpuBackend.Instance, Path.Combine(settings.OutDir, run), TextWriter.Null, finished: l => log = l);
                rows.AddRange(ValidationReport.Rows(run, summary, vidur));
                ValidationReport.WritePlots(outputs, run, log!, vidur);
            }
            ValidationReport.WriteCsv(outputs, rows);
            ValidationReport.WriteMarkdown(outputs, rows);
            outputs.Commit();
            Print(rows, settings.OutDir);
            return 0;
        }

        static List<(string Run, string ScenePath, string AnchorDir)> Pairs(Settings settings)
        {
            if (!Directory.Exists(settings.AnchorsDir))
                throw new SimInputException(settings.AnchorsDir, 0, "--anchors",
                    "folder not found: sim validate compares with Vidur's reference runs (one folder each with summary.json and request_metrics.csv.gz); give their folder with --anchors DIR");
            if (!Directory.Exists(settings.ScenesDir))
                throw new SimInputException(settings.ScenesDir, 0, "--scenes", "folder not found: give the folder of vidur-RUN.yaml scenes with --scenes DIR");
            var pairs = new List<(string, string, string)>();
            foreach (string scenePath in Directory.GetFiles(settings.ScenesDir, "vidur-*.yaml").OrderBy(p => p, StringComparer.Ordinal))
            {
                string run = Path.GetFileNameWithoutExtension(scenePath).Substring("vidur-".Length).Replace('-', '_');
                string anchorDir = Path.Combine(settings.AnchorsDir, run);
                if (!Directory.Exists(anchorDir))
                    throw new SimInputException(scenePath, 0, "", "no reference run " + run + " in " + settings.AnchorsDir + " to compare it with");
                pairs.Add((run, scenePath, anchorDir));
            }
            if (pairs.Count == 0) throw new SimInputException(settings.ScenesDir, 0, "--scenes", "no vidur-RUN.yaml scene in the folder");
            return pairs;
        }

        static void Print(List<ValidationRow> rows, string outDir)
        {
            IAnsiConsole console = Terminal.Stdout();
            var table = new Table().AddColumns("run", "figure", "sim", "Vidur", "error", "target");
            foreach (ValidationRow row in rows)
                table.AddRow(row.Run, row.Quantile.Length > 0 ? row.Metric + " " + row.Quantile : row.Metric,
                    row.Sim.ToString("G5", System.Globalization.CultureInfo.InvariantCulture), row.Vidur.ToString("G5", System.Globalization.CultureInfo.InvariantCulture),
                    double.IsNaN(row.Error) ? "-" : (row.Error * 100).ToString("+0.0;-0.0;0.0", System.Globalization.CultureInfo.InvariantCulture) + " %",
                    row.HasTarget ? row.Within ? "met" : "missed" : "");
            console.Write(table);
            int targets = rows.Count(r => r.HasTarget), met = rows.Count(r => r.HasTarget && r.Within);
            console.WriteLine(met + " of " + targets + " targets met; comparison in " + outDir);
        }
    }
}
