using System.Collections.Generic;
using System.Linq;
using Sim.Core;
using Spectre.Console;

namespace Sim.Headless.CommandLine
{
    /// <summary>
    /// <c>sim</c>'s command tree and its dispatch. Reflection only over the settings types, which are annotated for the
    /// trimmer, so the same code runs in the JIT build and the ahead-of-time compiled binary. Strict: an unknown command or
    /// flag stops with the closest known one named; <c>--help</c> or <c>-h</c> before any <c>--</c> prints the help.
    /// </summary>
    internal sealed class CommandLineApp
    {
        /// <summary>The "file" of command-line mistakes in their one error line.</summary>
        public const string Source = "<command line>";

        public CommandLineApp(CommandGroup root) => Root = root;

        public CommandGroup Root { get; }

        /// <summary>
        /// Parses <paramref name="args"/> and runs the command; its exit code. A group named without a command prints its
        /// usage and exits 2, as a mistake. Mistakes throw <see cref="SimInputException"/>.
        /// </summary>
        public int Run(IReadOnlyList<string> args, IAnsiConsole console)
        {
            CommandGroup group = Root;
            string path = Root.Name;
            int at = 0;
            while (true)
            {
                if (at == args.Count || IsHelp(args[at]))
                {
                    CommandHelp.PrintGroup(console, path, group, isRoot: group == Root);
                    return at == args.Count ? 2 : 0;
                }
                ICommandNode node = group.Find(args[at]) ?? throw Unknown(args[at], group, path);
                at++;
                if (node is CommandGroup inner)
                {
                    group = inner;
                    path += " " + inner.Name;
                    continue;
                }
                var command = (CommandDefinition)node;
                List<string> rest = args.Skip(at).ToList();
                if (rest.TakeWhile(a => a != "--").Any(IsHelp))
                {
                    CommandHelp.PrintCommand(console, path, command);
                    return 0;
                }
                return command.Execute(CommandBinder.Bind(command, rest));
            }
        }

        static bool IsHelp(string arg) => arg == "--help" || arg == "-h";

        static SimInputException Unknown(string given, CommandGroup group, string path) =>
            new SimInputException(Source, 0, "", "unknown command '" + InputText.Escape(given) + "'; did you mean " + path + " "
                + Suggestions.Closest(given, group.Children.Select(c => c.Name).ToList()) + "? (" + path + " --help lists the commands)");
    }
}
