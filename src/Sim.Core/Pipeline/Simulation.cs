using System;
using System.Collections.Generic;
using Sim.Core.Components;
using Sim.Core.Compute;
using Sim.Core.Ecs;
using Sim.Core.Experts;
using Sim.Core.Kv;
using Sim.Core.Metrics;
using Sim.Core.PerfModel;
using Sim.Core.Policies;
using Sim.Core.Scenes;
using Sim.Core.Tokens;
using Sim.Core.Trace;

namespace Sim.Core.Pipeline
{
    /// <summary>
    /// One run of a scene over a request stream: builds the world (replicas, permanent KV pages, resources),
    /// then steps the pipeline from event to event until every request has ended.
    /// </summary>
    public sealed partial class Simulation : IDisposable
    {
        readonly SimulationPipeline _pipeline;
        readonly InvariantChecker? _invariants;
        readonly ArrivalStream _arrivals;
        readonly SimClock _clock = new SimClock();
        readonly DecodeFastForward? _fastForward;

        /// <param name="requests">The workload; read again for each partition of a partitioned <see cref="Run"/> (a list, or regenerated from the seed).</param>
        /// <param name="perfModel">Times every replica's iterations; the scene's roofline model when null. A partitioned run shares it among its groups when it is an <see cref="ISharedPerfModel"/>, and steps in one world when not.</param>
        /// <param name="backend">Runs the data-parallel kernels (scoring, selection, attention, gating, routing); the CPU reference when null.</param>
        public Simulation(Scene scene, IEnumerable<TraceRequest> requests, long expectedRequests, string sourceName, IIterationSink? sink = null, IPerfModel? perfModel = null, IComputeBackend? backend = null)
        {
            Scene = scene;
            World = new World();
            var limits = new SchedulerLimits
            {
                MaxBatchTokens = scene.MaxBatchTokens,
                MaxNumSeqs = scene.MaxNumSeqs,
                ChunkedPrefill = scene.ChunkedPrefill,
                ChunkTokens = scene.ChunkTokens,
                Order = new AdmissionOrder(scene.AdmissionOrder, scene.StarvationS),
            };
            backend ??= CpuBackend.Instance;
            _source = new PartitionSource(requests, expectedRequests, sourceName, perfModel,
                sink == null && (perfModel == null || perfModel is ISharedPerfModel) && backend == CpuBackend.Instance);
            // Learned paging reads the workload ahead: a second pass over the stream (a list, or regenerated from the seed).
            ReuseOracle? reuse = scene.PrefixCaching && scene.Eviction.ReadsFuture() ? new ReuseOracle(requests) : null;
            ReplicaRuntime[] replicas = ClusterBuilder.Build(World, scene, limits, perfModel, backend, reuse);
            Cluster = new Cluster(replicas);
            Log = new RequestLog(expectedRequests, replicas.Length);
            long totalPages = 0, smallestPages = long.MaxValue;
            foreach (ReplicaRuntime replica in replicas)
            {
                totalPages += replica.Kv.TotalPages;
                smallestPages = System.Math.Min(smallestPages, replica.Kv.TotalPages);
            }
            KvCapacityTokens = totalPages * scene.BlockTokens;
            KvUsage = new KvUsage(totalPages, replicas.Length);
            _arrivals = new ArrivalStream(requests, sourceName);
            World.SetResource(_clock);
            World.SetResource(Cluster);
            World.SetResource(Log);
            World.SetResource(KvUsage);
            World.SetResource(_arrivals);
            // A request must fit the smallest replica it may land on.
            World.SetResource(new RequestLimits(scene.Model.MaxContextTokens, smallestPages * scene.BlockTokens, scene.Oversize));
            World.SetResource(RouterRegistry.Create(scene.Router, scene.Seed, backend));
            if (scene.Disaggregation != null)
                World.SetResource(new KvTransfers(World, RouterRegistry.Create(scene.Disaggregation.DecodeRouter, scene.Seed ^ 0x9E3779B97F4A7C15UL, backend),
                    scene.Model.KvBytesPerToken(scene.KvBytesPerElement), scene.Disaggregation.LinkBytesPerS, scene.Disaggregation.LinkLatencyS));
            // MoE mode's gate: one step over the sampled tokens of every replica scheduled at once.
            if (scene.Moe != null) World.SetResource(StepGate.For(replicas, backend));
            if (scene.TokenLevel)
            {
                World.SetResource(new TokenStore(World, scene.Attention.WithSeed(scene.Seed), scene.Compression, backend));
            }
            _invariants = scene.CheckInvariants ? new InvariantChecker(World, Cluster) : null;
            if (_invariants != null) World.SetResource(_invariants);
            if (sink != null) World.SetResource(sink);
            _pipeline = new SimulationPipeline(World);
            _fastForward = scene.FastForward ? DecodeFastForward.For(World, _pipeline) : null;
            if (_arrivals.HasNext) _clock.NowS = _arrivals.NextArrivalS;
            else _clock.Done = true;
        }

        public Scene Scene { get; }

        public World World { get; }

        public Cluster Cluster { get; }

        public RequestLog Log { get; }

        public KvUsage KvUsage { get; }

        /// <summary>KV tokens of all replicas together.</summary>
        public long KvCapacityTokens { get; }

        public double NowS => _clock.NowS;

        public long Steps => _clock.Steps;

        public bool Done => _clock.Done;

        /// <summary>
        /// Whether <see cref="Step"/> may run a quiet stretch of decode iterations in one move (the scene's
        /// <c>fast_forward</c>, where its modes allow it); a host stepping one event at a time turns it off.
        /// </summary>
        public bool FastForward { get; set; } = true;

        /// <summary>Replica iterations run by fast-forward moves rather than by the phases.</summary>
        public long FastForwardedIterations => (_fastForward?.Iterations ?? 0) + _partitionsFastForwarded;

        /// <summary>The fast-forward, where the scene's modes allow one.</summary>
        internal DecodeFastForward? FastForwarder => _fastForward;

        /// <summary>
        /// Runs one step (one event time), or with <see cref="FastForward"/> a quiet stretch of them; false once the run is over.
        /// After a stretch, the running requests of a replica that no step has touched since may lag in the world (their token
        /// counts and times); <see cref="Save"/>, a step with <see cref="FastForward"/> off and the replica's next step bring them up to date.
        /// </summary>
        public bool Step()
        {
            if (_clock.Done) return false;
            if (FastForward && _fastForward != null && _fastForward.TryMove()) return true;
            // Turned off mid-run: the phases read every replica's requests, so the moves' lanes write theirs back first.
            if (!FastForward) _fastForward?.FoldAll();
            _pipeline.Step();
            return !_clock.Done;
        }

        /// <summary>
        /// Steps until every request has ended, then checks the end-of-run invariants when asked. Replicas that share nothing run
        /// apart, on every core, up to <see cref="MaxPartitions"/> groups of them (Simulation.Partitions.cs).
        /// </summary>
        public void Run()
        {
            if (TryRunPartitioned())
            {
                _invariants?.CheckFinished(Log.Count);
                return;
            }
            while (Step())
            {
            }
            _invariants?.CheckFinished(Log.Count);
        }

        public long TotalIterations
        {
            get
            {
                long total = 0;
                foreach (ReplicaRuntime replica in Cluster.Replicas)
                    total += World.Get<ReplicaInfo>(replica.Entity).Iterations;
                return total;
            }
        }

        public void Dispose()
        {
            _arrivals.Dispose();
            // Token mode's resident key column (device buffers on a device backend).
            if (World.TryGetResource(out TokenStore? tokens)) tokens!.Dispose();
            // MoE mode's gate (device buffers on a device backend).
            if (World.TryGetResource(out StepGate? gate)) gate!.Dispose();
            // Prefix caches' resident block families (device buffers on a device backend).
            foreach (ReplicaRuntime replica in Cluster.Replicas) replica.Kv.Prefix?.Dispose();
        }
    }
}
