using System;
using System.Runtime.InteropServices;
using System.Threading;
using Sim.Headless.Output;

namespace Sim.Headless
{
    /// <summary>
    /// SIGINT and SIGTERM for every command: unfinished outputs are deleted (<see cref="OutputTransaction.AbandonAll"/>)
    /// and the process exits 130 or 143 (128 + the signal, as shells report it), with one line on stderr. A command
    /// that stops cleanly by itself (the viewer) asks for <see cref="StopToken"/> instead of being ended.
    /// </summary>
    internal sealed class Interrupts : IDisposable
    {
        public const int SigintExitCode = 130, SigtermExitCode = 143;

        static CancellationTokenSource? _cooperative;

        readonly PosixSignalRegistration[] _registrations;

        Interrupts()
        {
            _registrations = OperatingSystem.IsWindows()
                ? new[] { PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle) }
                : new[] { PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle) };
        }

        public static Interrupts Install() => new Interrupts();

        /// <summary>A token cancelled by SIGINT or SIGTERM; the caller then stops and returns by itself.</summary>
        public static CancellationToken StopToken()
        {
            _cooperative ??= new CancellationTokenSource();
            return _cooperative.Token;
        }

        static void Handle(PosixSignalContext context)
        {
            OutputTransaction.AbandonAll();
            if (_cooperative != null)
            {
                context.Cancel = true;
                _cooperative.Cancel();
                return;
            }
            int code = context.Signal == PosixSignal.SIGINT ? SigintExitCode : SigtermExitCode;
            Console.Error.WriteLine("error: interrupted by " + context.Signal + "; unfinished outputs were removed");
            Environment.Exit(code);
        }

        public void Dispose()
        {
            foreach (PosixSignalRegistration registration in _registrations) registration.Dispose();
            _cooperative = null;
        }
    }
}
