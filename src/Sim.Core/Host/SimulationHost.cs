using System;
using System.Collections.Generic;
using System.Diagnostics;
using Sim.Core.Compute;
using Sim.Core.Metrics;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Core.Tokens;

namespace Sim.Core.Host
{
    /// <summary>
    /// The simulator for an embedding program (an editor window, the step-through viewer): load a scene, advance it
    /// one event, one replica iteration, to a time or a condition, or for a frame's time budget; hear about
    /// iterations, finished requests, preemptions and evictions as they happen; and look at each replica's last
    /// iteration, queues and KV pages. Stepping through a host changes nothing about the run: its outputs are those
    /// of <see cref="Simulation.Run"/>.
    /// </summary>
    public sealed partial class SimulationHost : IDisposable
    {
        readonly Scene _scene;
        readonly IComputeBackend? _backend;
        readonly IIterationSink? _sink;
        readonly IterationView?[] _lastIterations;
        readonly long[] _iterationsDone;
        readonly long[] _evictionsSeen;
        readonly SortedList<long, (double NowS, byte[] Snapshot)> _rewindPoints = new SortedList<long, (double, byte[])>();
        Simulation _simulation;
        TokenStore? _tokens;
        long _tokensEvictedSeen;

        public SimulationHost(Scene scene, IComputeBackend? backend = null, IIterationSink? sink = null)
        {
            _scene = scene;
            _backend = backend;
            _sink = sink;
            _simulation = Build();
            int replicas = _simulation.Cluster.Replicas.Length;
            _lastIterations = new IterationView?[replicas];
            _iterationsDone = new long[replicas];
            _evictionsSeen = new long[replicas];
        }

        Simulation Build()
        {
            SceneWorkload workload = SceneWorkload.Open(_scene);
            var simulation = new Simulation(_scene, workload.Requests, workload.Count, workload.SourceName, new Sink(this, _sink), backend: _backend);
            // A host steps, rewinds and counts one event at a time.
            simulation.FastForward = false;
            simulation.World.TryGetResource(out _tokens);
            simulation.Log.Ended = (id, outcome) => RequestFinished?.Invoke(new RequestEnded(id, outcome == RequestOutcome.Completed, simulation.NowS));
            return simulation;
        }

        /// <summary>Loads <paramref name="scenePath"/> with <c>--set</c>-style <paramref name="overrides"/>.</summary>
        public static SimulationHost Load(string scenePath, IReadOnlyList<string>? overrides = null, IComputeBackend? backend = null) =>
            new SimulationHost(SceneLoader.Load(scenePath, overrides ?? Array.Empty<string>()), backend);

        /// <summary>After each replica iteration, with what it ran.</summary>
        public event Action<IterationView>? IterationDone;

        /// <summary>When a request completes or is rejected.</summary>
        public event Action<RequestEnded>? RequestFinished;

        /// <summary>For each request an iteration preempted: the replica and the request id.</summary>
        public event Action<int, long>? Preempted;

        /// <summary>After a step that evicted cached blocks (per replica) or tokens (token mode).</summary>
        public event Action<Eviction>? Evicted;

        public Simulation Simulation => _simulation;
        public Scene Scene => _scene;
        public double NowS => _simulation.NowS;
        public long Steps => _simulation.Steps;
        public bool Done => _simulation.Done;
        public int ReplicaCount => _lastIterations.Length;

        /// <summary>Advances to the next event time (every replica iteration ending then, every arrival due); false once the run is over.</summary>
        public bool Step()
        {
            bool more = _simulation.Step();
            ReportEvictions();
            if (RewindEvery > 0 && _simulation.Steps % RewindEvery == 0 && !_rewindPoints.ContainsKey(_simulation.Steps))
                _rewindPoints.Add(_simulation.Steps, (_simulation.NowS, Snapshot()));
            return more;
        }

        /// <summary>Steps until <paramref name="replica"/> finishes one more iteration, or the run ends; false when it ended first.</summary>
        public bool StepIteration(int replica)
        {
            if ((uint)replica >= (uint)ReplicaCount) throw new ArgumentOutOfRangeException(nameof(replica), replica, "the scene has " + ReplicaCount + " replicas");
            long target = _iterationsDone[replica] + 1;
            while (_iterationsDone[replica] < target)
                if (!Step()) return _iterationsDone[replica] >= target;
            return true;
        }

        /// <summary>Steps while the clock is before <paramref name="timeS"/>; returns the steps taken.</summary>
        public long RunUntil(double timeS) => RunUntil(host => host.NowS >= timeS);

        /// <summary>Steps until <paramref name="stop"/> holds (checked before each step) or the run ends; returns the steps taken.</summary>
        public long RunUntil(Func<SimulationHost, bool> stop)
        {
            long steps = 0;
            while (!Done && !stop(this))
            {
                Step();
                steps++;
            }
            return steps;
        }

        /// <summary>Steps for at most <paramref name="budget"/> of wall time (an editor frame), at least once unless the run is over; returns the steps taken.</summary>
        public long StepFor(TimeSpan budget)
        {
            var clock = Stopwatch.StartNew();
            long steps = 0;
            while (!Done)
            {
                Step();
                steps++;
                if (clock.Elapsed >= budget) break;
            }
            return steps;
        }

        void ReportEvictions()
        {
            ReplicaRuntime[] replicas = _simulation.Cluster.Replicas;
            for (int r = 0; r < replicas.Length; r++)
            {
                long evictions = replicas[r].Kv.Prefix?.Evictions ?? 0;
                if (evictions > _evictionsSeen[r]) Evicted?.Invoke(new Eviction(r, evictions - _evictionsSeen[r], 0));
                _evictionsSeen[r] = evictions;
            }
            long tokens = _tokens?.Stats.TokensEvicted ?? 0;
            if (tokens > _tokensEvictedSeen) Evicted?.Invoke(new Eviction(-1, 0, tokens - _tokensEvictedSeen));
            _tokensEvictedSeen = tokens;
        }

        void OnIteration(in IterationRecord record)
        {
            int replica = record.Replica;
            var view = new IterationView(_simulation.Cluster.Replicas[replica].InFlight, in record);
            _lastIterations[replica] = view;
            _iterationsDone[replica]++;
            IterationDone?.Invoke(view);
            if (Preempted != null)
                foreach (long id in view.PreemptedRequestIds) Preempted(replica, id);
        }

        public void Dispose() => _simulation.Dispose();

        /// <summary>The simulation's iteration sink: the host first, then the embedder's own sink.</summary>
        sealed class Sink : IIterationSink
        {
            readonly SimulationHost _host;
            readonly IIterationSink? _next;

            public Sink(SimulationHost host, IIterationSink? next)
            {
                _host = host;
                _next = next;
            }

            public void OnIteration(in IterationRecord iteration)
            {
                _host.OnIteration(iteration);
                _next?.OnIteration(iteration);
            }
        }
    }
}
