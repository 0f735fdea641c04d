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
using Spectre.Console.Cli;

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

            [CommandOption("--out <FILE>")]
            [Description("Where to write the fitted factors (default <ID>.efficiency.yaml in the working folder).")]
            public string? Out { get; set; }
        }

        protected override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
        {
            if (settings.Profiles.Length == 0) throw new SimInputException("--profiles", 0, "", "required: the folder of measured tables");
            var (model, gpu) = settings.LoadSpecs();
            Calibration calibration = EfficiencyFit.Calibrate(settings.Profiles, model, gpu);
            string outPath = settings.Out ?? settings.Hardware + ".efficiency.yaml";
            WriteAtomically(outPath, writer => EfficiencyFile.Write(writer, calibration.Fitted,
                "Roofline efficiency factors for " + gpu.Name + ", fitted by `sim calibrate` to " + Path.GetFullPath(settings.Profiles) + " (" + model.Id + ").\n" +
                "Include from scenes/hardware/" + settings.Hardware + ".yaml with: efficiency: " + Path.GetFileName(outPath)));

            var table = new Table().AddColumns("op", "rows", "median before", "p90 before", "median after", "p90 after", "factors");
            table.Columns[0].NoWrap();
            table.Caption("relative error |predicted - measured| / measured of each row; median and p90 over the operator's rows");
            foreach (OperatorError before in calibration.Before)
            {
                OperatorError after = calibration.After.Single(e => e.Op == before.Op);
                table.AddRow(before.Op, before.Rows.ToString(CultureInfo.InvariantCulture), Percent(before.MedianRelativeError), Percent(before.P90RelativeError),
                    Percent(after.MedianRelativeError), Percent(after.P90RelativeError), calibration.KeptOperators.Contains(before.Op) ? "kept" : "fitted");
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

        /// <summary>Writes to a temporary name beside <paramref name="path"/> and renames it into place: never a half-written file.</summary>
        static void WriteAtomically(string path, Action<TextWriter> write)
        {
            string full = Path.GetFullPath(path);
            string temp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Environment.ProcessId + ".tmp");
            try
            {
                using (var writer = new StreamWriter(temp))
                    write(writer);
                File.Move(temp, full, overwrite: true);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
        }
    }
}
