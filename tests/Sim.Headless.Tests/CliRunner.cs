using System;
using System.IO;

namespace Sim.Headless.Tests
{
    /// <summary>Runs the <c>sim</c> entry point in-process with stdout and stderr captured.</summary>
    internal static class CliRunner
    {
        static readonly object Gate = new object();

        public static (int ExitCode, string Out, string Error) Run(params string[] args) => RunWithStdout(new StringWriter(), args);

        /// <summary>Runs with <paramref name="output"/> as stdout (a writer that fails, to test stdout errors).</summary>
        public static (int ExitCode, string Out, string Error) RunWithStdout(TextWriter output, params string[] args)
        {
            lock (Gate)
            {
                TextWriter oldOut = Console.Out, oldError = Console.Error;
                var error = new StringWriter();
                Console.SetOut(output);
                Console.SetError(error);
                try
                {
                    int code = Program.Main(args);
                    return (code, output.ToString() ?? "", error.ToString());
                }
                finally
                {
                    Console.SetOut(oldOut);
                    Console.SetError(oldError);
                }
            }
        }
    }
}
