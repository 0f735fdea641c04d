using System;
using System.Collections.Generic;
using Sim.Core.Host;
using Sim.Core.Metrics;
using Sim.Core.Scenes;

namespace Sim.Headless.Viewer
{
    /// <summary>
    /// The simulation a viewer page drives: one <see cref="SimulationHost"/> behind a lock (requests arrive on
    /// several threads), the finished requests' latencies for the charts, and going back: the host keeps a snapshot
    /// every <see cref="RewindEverySteps"/> steps, restores the nearest one before the target and steps forward.
    /// </summary>
    public sealed class ViewerSession : IDisposable
    {
        /// <summary>Latency points kept for the charts: the most recent finished requests.</summary>
        public const int ChartPoints = 2000;

        /// <summary>Steps between kept snapshots: going back replays at most this many.</summary>
        public const int RewindEverySteps = 500;

        readonly object _gate = new object();
        readonly Queue<LatencyPoint> _latencies = new Queue<LatencyPoint>();
        readonly SimulationHost _host;
        readonly IterationHistory _history;

        public ViewerSession(Scene scene)
        {
            _host = new SimulationHost(scene) { RewindEvery = RewindEverySteps };
            _history = new IterationHistory(_host.ReplicaCount);
            _host.IterationDone += view => _history.Add(view, _host.NowS);
            _host.RequestFinished += end =>
            {
                if (end.Completed) AddLatency(end.Id);
            };
        }

        /// <summary>Runs <paramref name="read"/> with the host while no other request changes it.</summary>
        public T Read<T>(Func<SimulationHost, IReadOnlyCollection<LatencyPoint>, T> read)
        {
            lock (_gate) return read(_host, _latencies);
        }

        /// <summary>As <see cref="Read{T}"/>, with the replicas' iteration history too.</summary>
        public T Read<T>(Func<SimulationHost, IReadOnlyCollection<LatencyPoint>, IterationHistory, T> read)
        {
            lock (_gate) return read(_host, _latencies, _history);
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
            lock (_gate)
            {
                _host.RewindTo(Math.Max(0, _host.Steps - steps));
                _history.ForgetAfter(_host.NowS);
                RebuildLatencies();
            }
        }

        /// <summary>To the first step at or after <paramref name="timeS"/>, backwards or forwards.</summary>
        public void JumpTo(double timeS)
        {
            lock (_gate)
            {
                bool back = timeS < _host.NowS;
                _host.RewindToTime(timeS);
                if (!back) return;
                _history.ForgetAfter(_host.NowS);
                RebuildLatencies();
            }
        }

        void AddLatency(long id)
        {
            RequestRecord record = _host.Simulation.Log[id];
            _latencies.Enqueue(new LatencyPoint(id, record.FinishS, record.TtftS, record.MaxTbtS));
            if (_latencies.Count > ChartPoints) _latencies.Dequeue();
        }

        /// <summary>After going back, the charts' points are the latest completed requests of the log, in finishing order.</summary>
        void RebuildLatencies()
        {
            _latencies.Clear();
            var completed = new List<RequestRecord>();
            foreach (RequestRecord record in _host.Simulation.Log.Records)
                if (record.Outcome == RequestOutcome.Completed) completed.Add(record);
            completed.Sort((a, b) => a.FinishS != b.FinishS ? a.FinishS.CompareTo(b.FinishS) : a.Id.CompareTo(b.Id));
            for (int i = Math.Max(0, completed.Count - ChartPoints); i < completed.Count; i++) AddLatency(completed[i].Id);
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
