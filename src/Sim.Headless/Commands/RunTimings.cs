using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Sim.Core.Metrics;

namespace Sim.Headless.Commands
{
    /// <summary>
    /// <c>sim run --timings</c>: where a run's wall time goes, phase by phase, printed to stderr at the end. The first
    /// row, runtime start, is the time from the process's start (as the kernel recorded it, to its clock tick) to the
    /// first line of <c>Main</c>: loading the runtime and the assemblies before any of the command's own work.
    /// </summary>
    internal sealed class RunTimings
    {
        readonly List<(string Phase, double Seconds)> _phases = new List<(string, double)>();
        readonly double _startS;
        long _markTicks;

        RunTimings(double startS)
        {
            _startS = startS;
            _markTicks = Stopwatch.GetTimestamp();
        }

        /// <summary>Starts the clock now, with the time from the process's start to <paramref name="mainTicks"/> (a <see cref="Stopwatch"/> timestamp taken first thing in Main) as the runtime start.</summary>
        public static RunTimings Start(long mainTicks, DateTime mainUtc)
        {
            double startS = (mainUtc - Process.GetCurrentProcess().StartTime.ToUniversalTime()).TotalSeconds;
            var timings = new RunTimings(startS);
            timings._markTicks = mainTicks;
            timings.Mark("command line");
            return timings;
        }

        /// <summary>Ends the phase that began at the previous mark (or at Main) and names it <paramref name="phase"/>.</summary>
        public void Mark(string phase)
        {
            long now = Stopwatch.GetTimestamp();
            _phases.Add((phase, (now - _markTicks) / (double)Stopwatch.Frequency));
            _markTicks = now;
        }

        /// <summary>Time spent in the iteration writer within the loop (counted by <see cref="TimedSink"/>).</summary>
        public double IterationWriteS { get; set; }

        /// <summary>Wraps <paramref name="sink"/> so the time it takes is counted in <see cref="IterationWriteS"/>.</summary>
        public IIterationSink? Timed(IIterationSink? sink) => sink == null ? null : new TimedSink(sink, this);

        public void Print(TextWriter to)
        {
            double total = _startS;
            foreach ((_, double seconds) in _phases) total += seconds;
            to.WriteLine("timings (s):");
            Row(to, "runtime start", _startS, total);
            foreach ((string phase, double seconds) in _phases)
            {
                Row(to, phase, seconds, total);
                if (phase == "loop" && IterationWriteS > 0) Row(to, "  of which iteration rows", IterationWriteS, total);
            }
            Row(to, "total", total, total);
            // The collector's share, paused time included in the phases above: what allocation still costs a run.
            to.WriteLine(string.Format(CultureInfo.InvariantCulture, "  garbage collections {0}/{1}/{2} (generation 0/1/2), paused {3:F4} s",
                GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration().TotalSeconds));
        }

        static void Row(TextWriter to, string phase, double seconds, double total) =>
            to.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,-28} {1,8:F4} {2,6:F1} %", phase, seconds, 100 * seconds / total));

        sealed class TimedSink : IIterationSink
        {
            readonly IIterationSink _inner;
            readonly RunTimings _timings;

            public TimedSink(IIterationSink inner, RunTimings timings)
            {
                _inner = inner;
                _timings = timings;
            }

            public void OnIteration(in IterationRecord iteration)
            {
                long start = Stopwatch.GetTimestamp();
                _inner.OnIteration(iteration);
                _timings.IterationWriteS += (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
            }
        }
    }
}
