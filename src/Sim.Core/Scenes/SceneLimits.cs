using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Sim.Core.Kv;
using Sim.Core.PerfModel;

namespace Sim.Core.Scenes
{
    /// <summary>
    /// Shapes no deployment could have and sizes the simulator could never hold, refused when the scene is read:
    /// tensor parallelism that does not split the attention heads evenly (the rule vLLM applies), more pipeline
    /// stages than layers, and more replicas or KV pages than the simulator's memory bounds.
    /// </summary>
    public static class SceneLimits
    {
        /// <summary>Replicas in one scene: each holds its own queues, KV page table and perf model in memory.</summary>
        public const int MaxReplicas = 16_384;

        /// <summary>Tokens in one iteration's batch: vLLM's defaults are 2,048 to 16,384; a thousand times more is no deployment.</summary>
        public const int MaxBatchTokens = 1 << 24;

        /// <summary>Sequences in one iteration's batch: vLLM's default is 256.</summary>
        public const int MaxNumSeqs = 1 << 20;

        /// <summary>KV pages over all replicas: the page table costs about 64 bytes a page, so this is about 2 GiB.</summary>
        public const long MaxPages = 1L << 25;

        /// <summary>
        /// vLLM's tensor-parallel split: query heads divide evenly across the GPUs; KV heads divide evenly when there
        /// are at least as many as GPUs, and are replicated (each GPU keeps one) when the GPUs are a multiple of them.
        /// Null when <paramref name="tp"/> is a valid split.
        /// </summary>
        public static string? TensorParallelProblem(ModelSpec model, string modelId, int tp)
        {
            bool headsSplit = model.Heads % tp == 0;
            bool kvSplit = tp <= model.KvHeads ? model.KvHeads % tp == 0 : tp % model.KvHeads == 0;
            if (headsSplit && kvSplit) return null;
            string valid = string.Join(", ", Enumerable.Range(1, model.Heads).Where(n => TensorParallelProblemFree(model, n)).Select(n => n.ToString(CultureInfo.InvariantCulture)));
            return headsSplit
                ? string.Format(CultureInfo.InvariantCulture, "{0} GPUs cannot share {1}'s {2} KV heads (each GPU needs a whole share, or one replicated head when the GPUs are a multiple of them); use one of {3}", tp, modelId, model.KvHeads, valid)
                : string.Format(CultureInfo.InvariantCulture, "{0} does not divide {1}'s {2} attention heads, so its GPUs cannot hold equal shares; use one of {3}", tp, modelId, model.Heads, valid);
        }

        static bool TensorParallelProblemFree(ModelSpec model, int tp) => model.Heads % tp == 0 && (tp <= model.KvHeads ? model.KvHeads % tp == 0 : tp % model.KvHeads == 0);

        /// <summary>Null when <paramref name="pp"/> stages can each hold at least one of the model's layers.</summary>
        public static string? PipelineParallelProblem(ModelSpec model, string modelId, int pp) => pp <= model.Layers ? null
            : string.Format(CultureInfo.InvariantCulture, "{0} stages for {1}'s {2} layers; each stage needs at least one layer", pp, modelId, model.Layers);

        public static string? ReplicasProblem(long replicas) => replicas <= MaxReplicas ? null
            : string.Format(CultureInfo.InvariantCulture, "{0} replicas is more than the {1} the simulator holds in memory (each keeps its own queues, KV page table and perf model)", replicas, MaxReplicas);

        /// <summary>The replicas' KV pages together within <see cref="MaxPages"/> (a capacity below one page fails when the replicas are built).</summary>
        public static void CheckPages(Scene scene)
        {
            IReadOnlyList<ReplicaPool> pools = scene.Disaggregation == null
                ? new[] { ReplicaPool.MixedOf(scene) }
                : new[] { scene.Disaggregation.Prefill, scene.Disaggregation.Decode };
            long pages = 0;
            foreach (ReplicaPool pool in pools) pages += Math.Max(0, KvCapacity.RequestedPages(scene, pool)) * pool.Replicas;
            if (pages > MaxPages)
                throw new SimInputException(scene.SourcePath, 0, scene.KvCapacityTokens.HasValue ? "kv.capacity_tokens" : "kv.block_tokens",
                    string.Format(CultureInfo.InvariantCulture, "{0} KV pages of {1} tokens over {2} replicas is more than the {3} the simulator holds in memory (about 2 GiB of page table); use larger pages (kv.block_tokens) or fewer tokens",
                        pages, scene.BlockTokens, pools.Sum(p => p.Replicas), MaxPages));
        }
    }
}
