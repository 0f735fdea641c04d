using System;
using System.Collections.Generic;
using System.Diagnostics;
using Sim.Core.Components;
using Sim.Core.Compute;
using Sim.Core.Ecs;
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
    public sealed class SimulationHost : IDisposable
    {
        readonly Simulation _simulation;
        readonly IterationView?[] _lastIterations;
        readonly long[] _iterationsDone;
        readonly long[] _evictionsSeen;
        readonly TokenStore? _tokens;
        long _tokensEvictedSeen;

        public SimulationHost(Scene scene, IComputeBackend? backend = null, IIterationSink? sink = null)
        {
            SceneWorkload workload = SceneWorkload.Open(scene);
            _simulation = new Simulation(scene, workload.Requests, workload.Count, workload.SourceName, new Sink(this, sink), backend: backend);
            int replicas = _simulation.Cluster.Replicas.Length;
            _lastIterations = new IterationView?[replicas];
            _iterationsDone = new long[replicas];
            _evictionsSeen = new long[replicas];
            _simulation.World.TryGetResource(out _tokens);
            _simulation.Log.Ended = (id, outcome) => RequestFinished?.Invoke(new RequestEnded(id, outcome == RequestOutcome.Completed, _simulation.NowS));
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
        public Scene Scene => _simulation.Scene;
        public double NowS => _simulation.NowS;
        public long Steps => _simulation.Steps;
        public bool Done => _simulation.Done;
        public int ReplicaCount => _lastIterations.Length;

        /// <summary>Advances to the next event time (every replica iteration ending then, every arrival due); false once the run is over.</summary>
        public bool Step()
        {
            bool more = _simulation.Step();
            ReportEvictions();
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
            return new RequestView(world.Get<RequestInfo>(request), world.Get<RequestProgress>(request), world.Get<KvPageTable>(request).PageCount);
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
