using System;
using System.Collections.Generic;
using Sim.Core.Components;
using Sim.Core.Compute;
using Sim.Core.Ecs;
using Sim.Core.Experts;
using Sim.Core.Kv;
using Sim.Core.PerfModel;
using Sim.Core.Policies;
using Sim.Core.Scenes;
using Sim.Core.Speculative;

namespace Sim.Core.Pipeline
{
    /// <summary>Makes a scene's replicas, pool by pool: each with its entity, KV pages (and prefix cache, swap space), scheduler and perf model.</summary>
    internal static class ClusterBuilder
    {
        /// <param name="reuse">The workload read ahead, for <c>kv.eviction: predicted</c>; null otherwise.</param>
        public static ReplicaRuntime[] Build(World world, Scene scene, SchedulerLimits limits, IPerfModel? perfModel, IComputeBackend backend, ReuseOracle? reuse)
        {
            IReadOnlyList<ReplicaPool> pools = scene.Disaggregation == null
                ? new[] { ReplicaPool.MixedOf(scene) }
                : new[] { scene.Disaggregation.Prefill, scene.Disaggregation.Decode };
            var replicas = new List<ReplicaRuntime>();
            foreach (ReplicaPool pool in pools)
            {
                int pages = KvCapacity.PagesPerReplica(scene, pool);
                IPerfModel poolPerfModel = perfModel ?? PerfModelOf(scene, pool);
                if (scene.KvPrediction != null)
                {
                    ModelSpec auxiliary = scene.KvPrediction.AuxiliaryModel;
                    poolPerfModel = new KvPredictionPerfModel(poolPerfModel,
                        new RooflinePerfModel(auxiliary, pool.Hardware, ParallelismOf(pool), pool.Hardware.Efficiency, scene.IterationOverheadS),
                        KvPredictionPerfModel.ProjectionSPerToken(scene.Model, auxiliary, pool.Hardware, pool.Gpus));
                }
                for (int n = 0; n < pool.Replicas; n++)
                {
                    int index = replicas.Count;
                    Entity entity = world.Create(new ReplicaInfo
                    {
                        Index = index,
                        Role = pool.Role,
                        ModelId = scene.ModelId,
                        HardwareId = pool.HardwareId,
                        TensorParallel = pool.TensorParallel,
                        PipelineParallel = pool.PipelineParallel,
                    }, new ReplicaQueues(), new KvPoolHeader());
                    var kv = new KvBlockPool(world, entity, index, pages, scene.BlockTokens) { WatermarkPages = (int)(scene.KvWatermark * pages) };
                    if (scene.PrefixCaching) EnablePrefixCache(kv, scene, backend, reuse, index);
                    var replica = new ReplicaRuntime(index, entity, kv, SchedulerRegistry.Create(scene.SchedulerPolicy, limits), poolPerfModel, scene.MaxNumSeqs,
                        SwapSpaceOf(scene, pool), pool.Role);
                    if (scene.Moe != null)
                        replica.Moe = new MoeReplica(world, index, scene.Model, pool.Hardware, pool.Gpus, scene.Moe, backend,
                            new RooflinePerfModel(scene.Model, pool.Hardware, ParallelismOf(pool), pool.Hardware.Efficiency, scene.IterationOverheadS),
                            scene.Seed ^ (ulong)index);
                    if (scene.Speculative != null)
                        replica.Speculative = new SpeculativeReplica(scene.Speculative,
                            scene.Speculative.DraftModel == null ? null : new RooflinePerfModel(scene.Speculative.DraftModel, pool.Hardware, ParallelismOf(pool), pool.Hardware.Efficiency, scene.IterationOverheadS),
                            scene.Seed, index, scene.MaxNumSeqs);
                    replicas.Add(replica);
                }
            }
            return replicas.ToArray();
        }

        /// <summary>
        /// The scene's perf model for one pool's replicas: measured tables (<c>perf.model: profile</c>) or the roofline; the tables'
        /// reader runs <paramref name="meanwhile"/> as it reads the attention table on another thread.
        /// </summary>
        internal static IPerfModel PerfModelOf(Scene scene, ReplicaPool pool, Action? meanwhile = null) => scene.PerfModel == "profile"
            ? ProfilePerfModel.Load(scene.ProfilesDir!, scene.Model, pool.Hardware, ParallelismOf(pool), pool.Hardware.Efficiency, scene.IterationOverheadS,
                scene.CollectiveLaunchS, meanwhile)
            : new RooflinePerfModel(scene.Model, pool.Hardware, ParallelismOf(pool), pool.Hardware.Efficiency, scene.IterationOverheadS);

        static Parallelism ParallelismOf(ReplicaPool pool) => new Parallelism { Tp = pool.TensorParallel, Pp = pool.PipelineParallel };

        static SwapSpace? SwapSpaceOf(Scene scene, ReplicaPool pool)
        {
            if (!scene.SwapPreemption) return null;
            long bytesPerToken = scene.Model.KvBytesPerToken(scene.KvBytesPerElement);
            return new SwapSpace(scene.SwapSpaceBytes / bytesPerToken, bytesPerToken, pool.Gpus * pool.Hardware.PcieBandwidthBytesPerS);
        }

        static void EnablePrefixCache(KvBlockPool kv, Scene scene, IComputeBackend backend, ReuseOracle? reuse, int replica)
        {
            KvTier? host = scene.HostTier == null ? null : new KvTier("host", KvCapacity.TierBlocks(scene, scene.HostTier), scene.HostTier.BandwidthBytesPerS, scene.Eviction, backend);
            KvTier? ssd = scene.SsdTier == null ? null : new KvTier("ssd", KvCapacity.TierBlocks(scene, scene.SsdTier), scene.SsdTier.BandwidthBytesPerS, scene.Eviction, backend);
            ReusePredictor? predictor = scene.Eviction.ReadsFuture()
                ? new ReusePredictor(reuse!, scene.ReuseHorizonS, scene.ReusePredictionError, scene.Seed, replica)
                : null;
            kv.EnablePrefixCache(scene.Eviction, backend, KvCapacity.PageBytes(scene), host, ssd, predictor);
            // A backend with resident families (the device's) orders the cache's victims there: one listing a step that evicts.
            int blocks = kv.TotalPages / kv.Prefix!.PagesPerBlock;
            if (backend is IResidentBackend resident && blocks > 0) kv.Prefix.TakeVictimsFrom(resident.Resident.Blocks(blocks, scene.Eviction));
        }
    }
}
