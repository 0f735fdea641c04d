using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using Sim.Core;
using Sim.Headless.CommandLine;

namespace Sim.Headless
{
    /// <summary>
    /// Runs this command line in the JIT build of <c>sim</c> that the ahead-of-time publish puts in <c>jit/</c> beside the
    /// binary, for the commands that need the runtime's JIT (<see cref="JitCommands"/>). The child shares the terminal;
    /// a SIGINT reaches it from the terminal itself and a SIGTERM sent to this process is passed on, so the worker stops
    /// as it would on its own, and its exit code is this process's.
    /// </summary>
    internal static class JitCompanion
    {
        const int Sigterm = 15;

        public static int Run(string what)
        {
            string path = Path.Combine(AppContext.BaseDirectory, "jit", OperatingSystem.IsWindows() ? "sim.exe" : "sim");
            if (!File.Exists(path))
                throw new SimInputException(CommandLineApp.Source, 0, "", what + " runs on the .NET runtime, and this ahead-of-time compiled sim has no JIT build beside it ("
                    + path + "); publish with -p:Aot=true, which puts one there, or use the dotnet build (README, \"Installing\")");
            var start = new ProcessStartInfo(path) { UseShellExecute = false };
            foreach (string arg in Program.Arguments) start.ArgumentList.Add(arg);
            using Process child = Process.Start(start)!;
            // Cooperative: a signal no longer ends this process at once; it waits for the child, which ends on it.
            using CancellationTokenRegistration forward = Interrupts.StopToken().Register(() =>
            {
                if (!OperatingSystem.IsWindows()) kill(child.Id, Sigterm);
            });
            child.WaitForExit();
            return child.ExitCode;
        }

        [DllImport("libc", SetLastError = true)]
        static extern int kill(int pid, int signal);
    }
}
