using System.Collections.Generic;
using System.Linq;
using Spectre.Console;

namespace Sim.Headless.CommandLine
{
    /// <summary>
    /// The help of <c>sim</c>, a group and a command, rendered by Spectre.Console in the layout of the usual CLI help:
    /// DESCRIPTION, USAGE, ARGUMENTS, OPTIONS, COMMANDS, each an indented two-column grid wrapped to the terminal's width.
    /// Descriptions are plain text (brackets print as written).
    /// </summary>
    internal static class CommandHelp
    {
        const string HelpLine = "Prints help information";

        public static void PrintGroup(IAnsiConsole console, string path, CommandGroup group, bool isRoot)
        {
            if (!isRoot) Description(console, group.Description);
            Heading(console, "USAGE:");
            console.WriteLine("    " + path + " [OPTIONS] <COMMAND>");
            console.WriteLine();
            Heading(console, "OPTIONS:");
            console.Write(Rows(new[] { ("-h, --help", HelpLine) }));
            console.WriteLine();
            Heading(console, "COMMANDS:");
            console.Write(Rows(group.Children.Select(c => (c.Synopsis, c.Description))));
        }

        public static void PrintCommand(IAnsiConsole console, string path, CommandDefinition command)
        {
            Description(console, command.Description);
            Heading(console, "USAGE:");
            console.WriteLine("    " + path + " " + command.Synopsis + " [OPTIONS]");
            if (command.Arguments.Count > 0)
            {
                console.WriteLine();
                Heading(console, "ARGUMENTS:");
                console.Write(Rows(command.Arguments.Select(a => (a.Attribute.Template, a.Description))));
            }
            console.WriteLine();
            Heading(console, "OPTIONS:");
            console.Write(Rows(new[] { ("-h, --help", HelpLine) }.Concat(command.Options.Select(o => ("    " + o.Attribute.Template, o.Description)))));
        }

        static void Description(IAnsiConsole console, string description)
        {
            Heading(console, "DESCRIPTION:");
            console.Write(new Text(description));
            console.WriteLine();
            console.WriteLine();
        }

        static void Heading(IAnsiConsole console, string text) => console.Write(new Text(text + "\n", new Style(Color.Yellow)));

        static Grid Rows(IEnumerable<(string Left, string Right)> rows)
        {
            var grid = new Grid();
            grid.AddColumn(new GridColumn().Padding(4, 0, 4, 0).NoWrap());
            grid.AddColumn(new GridColumn().Padding(0, 0, 0, 0));
            foreach ((string left, string right) in rows) grid.AddRow(new Text(left), new Text(right));
            return grid;
        }
    }
}
