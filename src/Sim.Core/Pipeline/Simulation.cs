using System;
using System.Collections.Generic;
using Sim.Core.Components;
using Sim.Core.Compute;
using Sim.Core.Ecs;
using Sim.Core.Kv;
using Sim.Core.Metrics;
using Sim.Core.PerfModel;
using Sim.Core.Policies;
using Sim.Core.Scenes;
using Sim.Core.Trace;

namespace Sim.Core.Pipeline
{
    /// <summary>
    /// One run of a scene over a request stream: builds the world (replicas, permanent KV pages, resources),
    /// then steps the pipeline from event to event until every request has ended.
    /// </summary>
    public sealed class Simulation : IDisposable
    {
        readonly SimulationPipeline _pipeline;
        readonly InvariantChecker? _invariants;
        readonly ArrivalStream _arrivals;
        readonly SimClock _clock = new SimClock();

        /// <param name="perfModel">Times every replica's iterations; the scene's roofline model when null.</param>
        /// <param name="backend">Runs the data-parallel kernels (eviction scoring); the CPU reference when null.</param>
        public Simulation(Scene scene, IEnumerable<TraceRequest> requests, long expectedRequests, string sourceName, IIterationSink? sink = null, IPerfModel? perfModel = null, IComputeBackend? backend = null)
        {
            backend ??= CpuBackend.Instance;
            Scene = scene;
            PagesPerReplica = KvCapacity.PagesPerReplica(scene);
            World = new World();
            var limits = new SchedulerLimits { MaxBatchTokens = scene.MaxBatchTokens, MaxNumSeqs = scene.MaxNumSeqs, ChunkedPrefill = scene.ChunkedPrefill, ChunkTokens = scene.ChunkTokens,
                Order = new AdmissionOrder(scene.AdmissionOrder, scene.StarvationS) };
            perfModel ??= new RooflinePerfModel(scene.Model, scene.Hardware, new Parallelism { Tp = scene.TensorParallel, Pp = scene.PipelineParallel }, RooflineEfficiency.Default, scene.IterationOverheadS);
            var replicas = new ReplicaRuntime[scene.Replicas];
            for (int r = 0; r < replicas.Length; r++)
            {
                Entity entity = World.Create(new ReplicaInfo
                {
                    Index = r,
                    ModelId = scene.ModelId,
                    HardwareId = scene.HardwareId,
                    TensorParallel = scene.TensorParallel,
                    PipelineParallel = scene.PipelineParallel,
                });
                var kv = new KvBlockPool(World, r, PagesPerReplica, scene.BlockTokens);
                if (scene.PrefixCaching) EnablePrefixCache(kv, scene, backend);
                replicas[r] = new ReplicaRuntime(r, entity, kv, SchedulerRegistry.Create(scene.SchedulerPolicy, limits), perfModel, scene.MaxNumSeqs, SwapSpaceOf(scene));
            }
            Cluster = new Cluster(replicas);
            Log = new RequestLog(expectedRequests);
            KvUsage = new KvUsage((long)PagesPerReplica * replicas.Length);
            _arrivals = new ArrivalStream(requests, sourceName);
            World.SetResource(_clock);
            World.SetResource(Cluster);
            World.SetResource(Log);
            World.SetResource(KvUsage);
            World.SetResource(_arrivals);
            World.SetResource(new RequestLimits(scene.Model.MaxContextTokens, (long)PagesPerReplica * scene.BlockTokens, scene.Oversize));
            World.SetResource(RouterRegistry.Create(scene.Router, scene.Seed));
            _invariants = scene.CheckInvariants ? new InvariantChecker(World, Cluster) : null;
            _pipeline = new SimulationPipeline(World, sink, _invariants);
            if (_arrivals.HasNext) _clock.NowS = _arrivals.NextArrivalS;
            else _clock.Done = true;
        }

        static SwapSpace? SwapSpaceOf(Scene scene)
        {
            if (!scene.SwapPreemption) return null;
            long bytesPerToken = scene.Model.KvBytesPerToken(scene.KvBytesPerElement);
            int gpus = scene.TensorParallel * scene.PipelineParallel;
            return new SwapSpace(scene.SwapSpaceBytes / bytesPerToken, bytesPerToken, gpus * scene.Hardware.PcieBandwidthBytesPerS);
        }

        static void EnablePrefixCache(KvBlockPool kv, Scene scene, IComputeBackend backend)
        {
            KvTier? host = scene.HostTier == null ? null : new KvTier("host", KvCapacity.TierBlocks(scene, scene.HostTier), scene.HostTier.BandwidthBytesPerS, scene.Eviction, backend);
            KvTier? ssd = scene.SsdTier == null ? null : new KvTier("ssd", KvCapacity.TierBlocks(scene, scene.SsdTier), scene.SsdTier.BandwidthBytesPerS, scene.Eviction, backend);
            kv.EnablePrefixCache(scene.Eviction, backend, KvCapacity.PageBytes(scene), host, ssd);
        }

        public Scene Scene { get; }

        public World World { get; }

        public Cluster Cluster { get; }

        public RequestLog Log { get; }

        public KvUsage KvUsage { get; }

        public int PagesPerReplica { get; }

        public double NowS => _clock.NowS;

        public long Steps => _clock.Steps;

        public bool Done => _clock.Done;

        /// <summary>Runs one step (one event time); false once the run is over.</summary>
        public bool Step()
        {
            if (_clock.Done) return false;
            _pipeline.Step();
            return !_clock.Done;
        }

        /// <summary>Steps until every request has ended, then checks the end-of-run invariants when asked.</summary>
        public void Run()
        {
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

        public void Dispose() => _arrivals.Dispose();
    }
}
