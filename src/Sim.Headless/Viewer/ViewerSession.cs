using System;
using System.Collections.Generic;
using Sim.Core.Host;
using Sim.Core.Metrics;
using Sim.Core.Scenes;

namespace Sim.Headless.Viewer
{
    /// <summary>
    /// The simulation a viewer page drives: one <see cref="SimulationHost"/> behind a lock (requests arrive on
    /// several threads), the finished requests' latencies for the charts, and going back. Back rebuilds the run
    /// from its start and steps to the earlier point: the run is deterministic, so that is the same state.
    /// </summary>
    public sealed class ViewerSession : IDisposable
    {
        /// <summary>Latency points kept for the charts: the most recent finished requests.</summary>
        public const int ChartPoints = 2000;

        readonly Scene _scene;
        readonly object _gate = new object();
        readonly Queue<LatencyPoint> _latencies = new Queue<LatencyPoint>();
        SimulationHost _host;

        public ViewerSession(Scene scene)
        {
            _scene = scene;
            _host = Start();
        }

        /// <summary>Runs <paramref name="read"/> with the host while no other request changes it.</summary>
        public T Read<T>(Func<SimulationHost, IReadOnlyCollection<LatencyPoint>, T> read)
        {
            lock (_gate) return read(_host, _latencies);
        }

        /// <summary>Advances <paramref name="steps"/> event steps (at least one, unless the run is over).</summary>
        public void Step(int steps)
        {
            lock (_gate)
                for (int i = 0; i < steps && !_host.Done; i++) _host.Step();
        }

        /// <summary>Advances one iteration of <paramref name="replica"/>.</summary>
        public void StepIteration(int replica)
        {
            lock (_gate) _host.StepIteration(replica);
        }

        /// <summary>Goes back <paramref name="steps"/> event steps (to the start at most).</summary>
        public void Back(int steps)
        {
            lock (_gate) RewindTo(Math.Max(0, _host.Steps - steps));
        }

        /// <summary>To the first step at or after <paramref name="timeS"/>, backwards or forwards.</summary>
        public void JumpTo(double timeS)
        {
            lock (_gate)
            {
                if (timeS < _host.NowS) RewindTo(0);
                _host.RunUntil(timeS);
            }
        }

        void RewindTo(long step)
        {
            _host.Dispose();
            _host = Start();
            _host.RunUntil(h => h.Steps >= step);
        }

        SimulationHost Start()
        {
            _latencies.Clear();
            var host = new SimulationHost(_scene);
            host.RequestFinished += end =>
            {
                if (!end.Completed) return;
                RequestRecord record = host.Simulation.Log[end.Id];
                _latencies.Enqueue(new LatencyPoint(end.Id, end.AtS, record.TtftS, record.MaxTbtS));
                if (_latencies.Count > ChartPoints) _latencies.Dequeue();
            };
            return host;
        }

        public void Dispose()
        {
            lock (_gate) _host.Dispose();
        }
    }

    /// <summary>One finished request on the latency charts.</summary>
    public readonly struct LatencyPoint
    {
        public LatencyPoint(long id, double finishS, double ttftS, double maxTbtS)
        {
            Id = id;
            FinishS = finishS;
            TtftS = ttftS;
            MaxTbtS = maxTbtS;
        }

        public long Id { get; }
        public double FinishS { get; }
        public double TtftS { get; }
        public double MaxTbtS { get; }
    }
}
