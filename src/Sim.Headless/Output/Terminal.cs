using System;
using Spectre.Console;

namespace Sim.Headless.Output
{
    /// <summary>Spectre consoles over the current Console.Out and Console.Error (so redirection and tests see what is printed).</summary>
    internal static class Terminal
    {
        public static IAnsiConsole Stdout() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });

        public static IAnsiConsole Stderr() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
    }
}
