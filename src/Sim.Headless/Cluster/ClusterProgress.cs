using System;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace Sim.Headless.Cluster
{
    /// <summary>Points done, running and failed (runs lost with a worker, each re-run), and the rate, on the client's stderr.</summary>
    public sealed class ClusterProgress
    {
        static readonly TimeSpan LineEvery = TimeSpan.FromSeconds(5);

        readonly TextWriter _out;
        readonly bool _interactive;
        readonly Stopwatch _clock = Stopwatch.StartNew();
        readonly object _lock = new object();
        TimeSpan _lastLine;
        int _done, _running, _failed, _workers;

        public ClusterProgress(TextWriter output, bool interactive)
        {
            _out = output;
            _interactive = interactive;
        }

        /// <summary>Points this run sends (not those resumed from the output folder).</summary>
        public int Total { get; set; }

        public int Done => Volatile.Read(ref _done);

        public int Running => Volatile.Read(ref _running);

        public int Failed => Volatile.Read(ref _failed);

        /// <summary>Points finished per second since the client started sending them.</summary>
        public double PointsPerS => Done / Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);

        public void Started() { Interlocked.Increment(ref _running); Show(false); }

        public void Completed() { Interlocked.Decrement(ref _running); Interlocked.Increment(ref _done); Show(false); }

        public void Lost() { Interlocked.Decrement(ref _running); Interlocked.Increment(ref _failed); Show(false); }

        /// <summary>Points that came back with an error of their own (the run stops).</summary>
        public void Abandoned() { Interlocked.Decrement(ref _running); }

        public void Workers(int count) { Volatile.Write(ref _workers, count); }

        public string Line() => string.Format(System.Globalization.CultureInfo.InvariantCulture,
            "cluster: {0} of {1} points done, {2} running, {3} failed (re-run), {4:F2} points/s, {5} workers",
            Done, Total, Running, Failed, PointsPerS, Volatile.Read(ref _workers));

        /// <summary>The final line, on a line of its own.</summary>
        public void Finish()
        {
            lock (_lock) _out.WriteLine((_interactive ? "\r" : "") + Line());
        }

        void Show(bool force)
        {
            lock (_lock)
            {
                if (_interactive) _out.Write("\r" + Line());
                else if (force || _clock.Elapsed - _lastLine >= LineEvery)
                {
                    _lastLine = _clock.Elapsed;
                    _out.WriteLine(Line());
                }
            }
        }
    }
}
