using System.Collections.Generic;
using System;
using System.ComponentModel;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Sim.Core;
using Sim.Core.PerfModel;
using Sim.Headless.Output;
using Spectre.Console;
using Sim.Headless.CommandLine;

namespace Sim.Headless.Commands
{
    /// <summary>
    /// <c>sim calibrate</c>: fits one GPU's roofline efficiency factors to a folder of measured operator tables, prints
    /// each operator's error before and after, and writes the factors as a YAML file the hardware file includes.
    /// </summary>
    public sealed class CalibrateCommand : Command<CalibrateCommand.Settings>
    {
        public sealed class Settings : SpecSettings
        {
            [CommandOption("--profiles <DIR>")]
            [Description("Folder of Vidur-format tables (mlp.csv or <model>_mlp.csv, attention.csv, all_reduce*.csv).")]
            public string Profiles { get; set; } = "";

            [CommandOption("--hold-out-from <TOKENS>")]
            [Description("Fit only on rows spanning fewer tokens (num_tokens; a prefill's context + chunk; a decode's context + 1) and report the error on the rest apart.")]
            public double? HoldOutFromTokens { get; set; }

            [CommandOption("--out <FILE>")]
            [Description("Where to write the fitted factors (default <ID>.efficiency.yaml in the working folder).")]
            public string? Out { get; set; }
        }

        public override int Execute(Settings settings)
        {
            if (settings.Profiles.Length == 0) throw new SimInputException("--profiles", 0, "", "required: the folder of measured tables");
            var (model, gpu) = settings.LoadSpecs();
            if (settings.HoldOutFromTokens <= 0) throw new SimInputException("--hold-out-from", 0, "", "must be a number of tokens above 0");
            Calibration calibration = EfficiencyFit.Calibrate(settings.Profiles, model, gpu, settings.HoldOutFromTokens);
            string outPath = settings.Out ?? settings.Hardware + ".efficiency.yaml";
            using (var outputs = new OutputTransaction())
            {
                using (var writer = new StreamWriter(outputs.CreateAt(outPath, "--out")))
                    EfficiencyFile.Write(writer, calibration.Fitted,
                        "Roofline efficiency factors for " + gpu.Name + ", fitted by `sim calibrate` to " + Path.GetFullPath(settings.Profiles) + " (" + model.Id + ").\n" +
                        "Include from scenes/hardware/" + settings.Hardware + ".yaml with: efficiency: " + Path.GetFileName(outPath));
                outputs.Commit();
            }

            var table = new Table().AddColumns("op", "rows", "median before", "p90 before", "median after", "p90 after", "factors");
            if (calibration.HeldOut != null) table.AddColumns("held-out rows", "held-out median", "held-out p90");
            table.Columns[0].NoWrap();
            table.Caption("relative error |predicted - measured| / measured of each row; median and p90 over the operator's rows");
            foreach (OperatorError before in calibration.Before)
            {
                OperatorError after = calibration.After.Single(e => e.Op == before.Op);
                var cells = new List<string> { before.Op, before.Rows.ToString(CultureInfo.InvariantCulture), Percent(before.MedianRelativeError), Percent(before.P90RelativeError),
                    Percent(after.MedianRelativeError), Percent(after.P90RelativeError), calibration.KeptOperators.Contains(before.Op) ? "kept" : "fitted" };
                if (calibration.HeldOut != null)
                {
                    OperatorError[] held = calibration.HeldOut.Where(e => e.Op == before.Op).ToArray();
                    cells.AddRange(held.Length == 0 ? new[] { "0", "", "" }
                        : new[] { held[0].Rows.ToString(CultureInfo.InvariantCulture), Percent(held[0].MedianRelativeError), Percent(held[0].P90RelativeError) });
                }
                table.AddRow(cells.ToArray());
            }
            IAnsiConsole console = Terminal.Stdout();
            // Redirected output has no width of its own: give the seven columns room rather than Spectre's 80.
            if (Console.IsOutputRedirected) console.Profile.Width = Math.Max(console.Profile.Width, 100);
            console.Write(table);
            if (calibration.KeptOperators.Count > 0)
                console.WriteLine("kept the current factors for " + string.Join(", ", calibration.KeptOperators) + ": fitting them improved no operator's median error or worsened one");
            console.WriteLine("wrote " + outPath + "; include it from scenes/hardware/" + settings.Hardware + ".yaml with `efficiency: " + Path.GetFileName(outPath) + "` (a path beside that file)");
            return 0;
        }

        static string Percent(double share) => (share * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";
    }
}
