using System;
using System.Globalization;
using Sim.Core.Scenes;

namespace Sim.Core.Kv
{
    /// <summary>
    /// KV pages of one replica: the share <c>kv.memory_fraction</c> of all its GPUs' HBM, less the model
    /// weights, divided by the KV bytes of one token and the page size; or <c>kv.capacity_tokens</c> when a scene gives it.
    /// </summary>
    public static class KvCapacity
    {
        public static long KvBytesPerReplica(Scene scene, ReplicaPool pool) =>
            (long)(scene.KvMemoryFraction * pool.Hardware.HbmBytes * pool.Gpus) - scene.Model.WeightBytes;

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
                        scene.BlockTokens, PageBytes(scene) / 1073741824.0, kvBytes / 1073741824.0));
            throw new SimInputException(scene.SourcePath, 0, "kv.memory_fraction",
                string.Format(CultureInfo.InvariantCulture, "{0} weights ({1:F1} GiB) leave no room for KV in {2:F0}% of {3} x {4} ({5:F1} GiB); raise the tensor parallelism or kv.memory_fraction",
                    scene.ModelId, scene.Model.WeightBytes / 1073741824.0, scene.KvMemoryFraction * 100, pool.Gpus, pool.HardwareId,
                    scene.KvMemoryFraction * pool.Hardware.HbmBytes * pool.Gpus / 1073741824.0));
        }
    }
}
