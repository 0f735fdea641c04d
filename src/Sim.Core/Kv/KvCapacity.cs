using System;
using System.Globalization;
using Sim.Core.PerfModel;
using Sim.Core.Scenes;

namespace Sim.Core.Kv
{
    /// <summary>
    /// KV pages of one replica, as vLLM sizes its cache after profiling memory: the share <c>kv.memory_fraction</c>
    /// of all its GPUs' HBM, less the model weights, less the memory each GPU keeps for activations and the runtime
    /// (<c>kv.reserved_gib</c>), divided by the KV bytes of one token and the page size; or <c>kv.capacity_tokens</c>
    /// when a scene gives it, which overrides all of this.
    /// </summary>
    public static class KvCapacity
    {
        const double Gib = 1073741824.0;

        /// <summary>CUDA context, cuBLAS workspaces and allocator slack on every GPU: vLLM's profiled non-torch memory, Llama-3-8B on one H100.</summary>
        public const double RuntimeGibPerGpu = 1.79;

        /// <summary>NCCL's buffers, added when a replica spans GPUs: the non-torch memory grew from 1.79 to 3.58 GiB going to tp 2.</summary>
        public const double CollectivesGibPerGpu = 1.79;

        /// <summary>vLLM's profiled activation peak for Llama-3-8B (hidden size 4,096), the same at tp 1 and 2.</summary>
        public const double ActivationGibPer4096Hidden = 1.26;

        /// <summary>
        /// The default <c>kv.reserved_gib</c>, by model size: the runtime, NCCL when the replica spans GPUs, and an activation
        /// peak in proportion to the hidden size. A simplification fitted to one published profile (vLLM pull request 10511,
        /// Llama-3-8B on H100: non-torch 1.79 GiB at tp 1 and 3.58 GiB at tp 2, activation peak 1.26 GiB at both), not
        /// vLLM's measurement itself, which runs a dummy batch of <c>max_num_batched_tokens</c> tokens on the device.
        /// </summary>
        public static long DefaultReservedBytesPerGpu(ModelSpec model, int gpus) =>
            (long)((RuntimeGibPerGpu + (gpus > 1 ? CollectivesGibPerGpu : 0) + ActivationGibPer4096Hidden * model.HiddenSize / 4096.0) * Gib);

        public static long ReservedBytesPerGpu(Scene scene, ReplicaPool pool) => scene.KvReservedBytesPerGpu ?? DefaultReservedBytesPerGpu(scene.Model, pool.Gpus);

        public static long KvBytesPerReplica(Scene scene, ReplicaPool pool) =>
            (long)(scene.KvMemoryFraction * pool.Hardware.HbmBytes * pool.Gpus) - scene.Model.WeightBytes - ReservedBytesPerGpu(scene, pool) * pool.Gpus;

        /// <summary>Bytes of one page of <c>block_tokens</c> tokens, over all the replica's GPUs.</summary>
        public static long PageBytes(Scene scene) => scene.Model.KvBytesPerToken(scene.KvBytesPerElement) * scene.BlockTokens;

        /// <summary>512-token prompt blocks a lower tier holds: its bytes over the block size, at least one.</summary>
        public static long TierBlocks(Scene scene, MemoryTier tier) => Math.Max(1, tier.CapacityBytes / (PageBytes(scene) * (PrefixKeys.HashBlockTokens / scene.BlockTokens)));

        /// <summary>The pages the scene asks for, unchecked (zero or less when nothing is left for KV).</summary>
        public static long RequestedPages(Scene scene, ReplicaPool pool)
        {
            if (scene.KvCapacityTokens.HasValue) return scene.KvCapacityTokens.Value / scene.BlockTokens;
            long kvBytes = KvBytesPerReplica(scene, pool);
            return kvBytes > 0 ? kvBytes / PageBytes(scene) : 0;
        }

        public static int PagesPerReplica(Scene scene, ReplicaPool pool)
        {
            long pages = RequestedPages(scene, pool);
            if (pages >= 1) return (int)Math.Min(pages, int.MaxValue);
            if (scene.KvCapacityTokens.HasValue)
                throw new SimInputException(scene.SourcePath, 0, "kv.capacity_tokens", "must hold at least one page of kv.block_tokens tokens");
            long kvBytes = KvBytesPerReplica(scene, pool);
            if (kvBytes > 0)
                throw new SimInputException(scene.SourcePath, 0, "kv.block_tokens",
                    string.Format(CultureInfo.InvariantCulture, "one page of {0} tokens needs {1:F1} GiB of KV, more than the {2:F1} GiB left for KV on a replica; use a smaller block (16 is usual)",
                        scene.BlockTokens, PageBytes(scene) / Gib, kvBytes / Gib));
            throw new SimInputException(scene.SourcePath, 0, "kv.memory_fraction",
                string.Format(CultureInfo.InvariantCulture, "{0} weights ({1:F1} GiB) and {2:F1} GiB reserved for activations and the runtime (kv.reserved_gib per GPU) leave no room for KV in {3:F0}% of {4} x {5} ({6:F1} GiB); raise the tensor parallelism or kv.memory_fraction",
                    scene.ModelId, scene.Model.WeightBytes / Gib, ReservedBytesPerGpu(scene, pool) * pool.Gpus / Gib, scene.KvMemoryFraction * 100, pool.Gpus, pool.HardwareId,
                    scene.KvMemoryFraction * pool.Hardware.HbmBytes * pool.Gpus / Gib));
        }
    }
}
