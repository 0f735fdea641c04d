using System;
using System.Collections.Generic;
using System.Diagnostics;
using Sim.Core.Components;
using Sim.Core.Compute;
using Sim.Core.Ecs;
using Sim.Core.Metrics;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Core.Snapshots;
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
    public sealed class SimulationHost : IDisposable
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

        /// <summary>
        /// Keep a snapshot every this many steps (0: none), so <see cref="RewindTo"/> restores the nearest and steps
        /// forward rather than replaying from the start. Memory grows with the run: one snapshot per interval.
        /// </summary>
        public long RewindEvery { get; set; }

        /// <summary>The run's whole state now (<see cref="Simulation.Save"/>) and each replica's last finished iteration, for the views.</summary>
        public byte[] Snapshot()
        {
            var writer = new SnapshotWriter();
            writer.Write(_simulation.Save());
            foreach (IterationView? view in _lastIterations)
            {
                writer.Write(view != null);
                if (view != null) StateFields.Save(view, writer);
            }
            return writer.ToArray();
        }

        /// <summary>
        /// Puts the run back to <paramref name="snapshot"/> (taken from this host, or another host of the same scene):
        /// a simulation is built afresh and the snapshot loaded into it; the views follow. Events are not replayed.
        /// </summary>
        public void Restore(byte[] snapshot)
        {
            var reader = new SnapshotReader(snapshot);
            Simulation restored = Build();
            try
            {
                restored.Load(reader.Read<byte[]>());
                for (int r = 0; r < _lastIterations.Length; r++)
                {
                    IterationView? view = null;
                    if (reader.Read<bool>())
                    {
                        view = new IterationView();
                        StateFields.Load(view, reader);
                    }
                    _lastIterations[r] = view;
                }
            }
            catch
            {
                restored.Dispose();
                throw;
            }
            _simulation.Dispose();
            _simulation = restored;
            ReplicaRuntime[] replicas = restored.Cluster.Replicas;
            for (int r = 0; r < replicas.Length; r++)
            {
                _iterationsDone[r] = restored.World.Get<ReplicaInfo>(replicas[r].Entity).Iterations;
                _evictionsSeen[r] = replicas[r].Kv.Prefix?.Evictions ?? 0;
            }
            _tokensEvictedSeen = _tokens?.Stats.TokensEvicted ?? 0;
        }

        /// <summary>
        /// Back (or forward) to the first state at or after step <paramref name="step"/>: restores the latest kept
        /// snapshot not after it (the start when none) and steps on. The run is deterministic, so this is exactly
        /// the state the run had then.
        /// </summary>
        public void RewindTo(long step)
        {
            if (step < _simulation.Steps) RestoreLatest(point => point.Key <= step);
            RunUntil(host => host.Steps >= step);
        }

        /// <summary>Back (or forward) to the first state at or after simulated time <paramref name="timeS"/>, as <see cref="RewindTo"/>.</summary>
        public void RewindToTime(double timeS)
        {
            if (timeS < _simulation.NowS) RestoreLatest(point => point.Value.NowS <= timeS);
            RunUntil(timeS);
        }

        /// <summary>Restores the latest kept snapshot that <paramref name="usable"/> accepts, or the start.</summary>
        void RestoreLatest(Func<KeyValuePair<long, (double NowS, byte[] Snapshot)>, bool> usable)
        {
            for (int i = _rewindPoints.Count - 1; i >= 0; i--)
            {
                var point = new KeyValuePair<long, (double, byte[])>(_rewindPoints.Keys[i], _rewindPoints.Values[i]);
                if (!usable(point)) continue;
                Restore(point.Value.Item2);
                return;
            }
            RestoreStart();
        }

        void RestoreStart()
        {
            _simulation.Dispose();
            _simulation = Build();
            for (int r = 0; r < _lastIterations.Length; r++)
            {
                _lastIterations[r] = null;
                _iterationsDone[r] = 0;
                _evictionsSeen[r] = 0;
            }
            _tokensEvictedSeen = 0;
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

        /// <summary><paramref name="replica"/>'s last finished iteration; null before its first.</summary>
        public IterationView? LastIteration(int replica) => _lastIterations[replica];

        /// <summary>Requests waiting on <paramref name="replica"/>, in queue order.</summary>
        public IReadOnlyList<RequestView> Waiting(int replica)
        {
            EntityDeque waiting = _simulation.Cluster.Replicas[replica].Waiting;
            var views = new RequestView[waiting.Count];
            for (int i = 0; i < views.Length; i++) views[i] = ViewOf(waiting[i]);
            return views;
        }

        /// <summary>Requests running on <paramref name="replica"/>, in batch order.</summary>
        public IReadOnlyList<RequestView> Running(int replica)
        {
            List<Entity> running = _simulation.Cluster.Replicas[replica].Running;
            var views = new RequestView[running.Count];
            for (int i = 0; i < views.Length; i++) views[i] = ViewOf(running[i]);
            return views;
        }

        /// <summary>Every KV page of <paramref name="replica"/> by physical index: free, held (and by whom) or cached.</summary>
        public IReadOnlyList<PageView> Pages(int replica)
        {
            ReplicaRuntime runtime = _simulation.Cluster.Replicas[replica];
            var owners = new long[runtime.Kv.TotalPages];
            for (int i = 0; i < owners.Length; i++) owners[i] = -1;
            foreach (Entity request in runtime.Running) MarkOwner(request, owners);
            for (int i = 0; i < runtime.Waiting.Count; i++) MarkOwner(runtime.Waiting[i], owners);
            var pages = new PageView[owners.Length];
            for (int i = 0; i < pages.Length; i++)
            {
                ref KvPage page = ref runtime.Kv.Page(i);
                PageUse use = page.RefCount > 0 ? PageUse.Owned : page.ContentKey != 0 ? PageUse.Cached : PageUse.Free;
                pages[i] = new PageView(use, owners[i], page.RefCount);
            }
            return pages;
        }

        /// <summary>Every expert of <paramref name="replica"/> (MoE scenes; empty otherwise), by layer then index.</summary>
        public IReadOnlyList<ExpertState> Experts(int replica)
        {
            var experts = new List<ExpertState>();
            _simulation.World.Query(new QueryDescription().WithAll<ExpertState>(), (ref ExpertState expert) =>
            {
                if (expert.Replica == replica) experts.Add(expert);
            });
            experts.Sort((a, b) => a.Layer != b.Layer ? a.Layer.CompareTo(b.Layer) : a.Index.CompareTo(b.Index));
            return experts;
        }

        void MarkOwner(Entity request, long[] owners)
        {
            ref KvPageTable table = ref _simulation.World.Get<KvPageTable>(request);
            long id = _simulation.World.Get<RequestInfo>(request).Id;
            for (int i = 0; i < table.PageCount; i++)
                if (owners[table.Pages[i]] < 0) owners[table.Pages[i]] = id;
        }

        RequestView ViewOf(Entity request)
        {
            World world = _simulation.World;
            ref RequestProgress progress = ref world.Get<RequestProgress>(request);
            int resident = _tokens != null && progress.TokenSlot >= 0 ? _tokens.ResidentTokens(progress.TokenSlot) : -1;
            return new RequestView(world.Get<RequestInfo>(request), progress, world.Get<KvPageTable>(request).PageCount, resident);
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
            var view = new IterationView(_simulation.Cluster.Replicas[replica].InFlight, record.KvTotalPages);
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
