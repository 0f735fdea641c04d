using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.Linq;
using System.Threading;
using Sim.Headless.Output;
using Sim.Headless.Studies;
using Spectre.Console;
using Sim.Headless.CommandLine;

namespace Sim.Headless.Commands
{
    /// <summary><c>sim compare A.json B.json</c>: two runs' summary figures side by side, with B / A.</summary>
    public sealed class CompareCommand : Command<CompareCommand.Settings>
    {
        public sealed class Settings : CommandSettings
        {
            [CommandArgument(0, "<A>")]
            [Description("The baseline summary.json.")]
            public string A { get; set; } = "";

            [CommandArgument(1, "<B>")]
            [Description("The summary.json compared with it.")]
            public string B { get; set; } = "";

            [CommandOption("--csv")]
            [Description("Print field,a,b,ratio lines instead of the table.")]
            public bool Csv { get; set; }
        }

        public override int Execute(Settings settings)
        {
            SummaryFile a = SummaryFile.Read(settings.A), b = SummaryFile.Read(settings.B);
            List<ComparedField> rows = ComparedField.Pair(a, b);
            if (settings.Csv)
            {
                System.Console.Out.WriteLine("field,a,b,ratio");
                foreach (ComparedField row in rows)
                    System.Console.Out.WriteLine(string.Join(",", row.Field, Text(row.A), Text(row.B), Text(row.Ratio)));
                return 0;
            }
            // The settings first (scene, backend, scheduler, overrides, ...): what made the two runs differ.
            foreach (string field in a.Texts.Select(t => t.Field).Concat(b.Texts.Select(t => t.Field)).Distinct())
                System.Console.Out.WriteLine(field + ": " + TextOf(a, field) + " | " + TextOf(b, field));
            IAnsiConsole console = Terminal.Stdout();
            var table = new Table().AddColumns("field", "A", "B", "B / A");
            foreach (ComparedField row in rows)
                table.AddRow(Markup.Escape(row.Field), Show(row.A), Show(row.B), row.Ratio.HasValue ? row.Ratio.Value.ToString("F3", CultureInfo.InvariantCulture) : "");
            console.Write(table);
            return 0;
        }

        static string TextOf(SummaryFile file, string field) => file.Texts.FirstOrDefault(t => t.Field == field).Value ?? "-";

        static string Show(double? value) => value.HasValue ? value.Value.ToString("G6", CultureInfo.InvariantCulture) : "-";

        static string Text(double? value) => value.HasValue ? value.Value.ToString("R", CultureInfo.InvariantCulture) : "";
    }
}
