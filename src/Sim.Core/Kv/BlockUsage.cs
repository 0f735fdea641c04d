namespace Sim.Core.Kv
{
    /// <summary>What eviction policies know of one cached prompt block (in HBM or a lower tier).</summary>
    public struct BlockUsage
    {
        /// <summary>When a request last held the block.</summary>
        public double LastAccessS;

        /// <summary>When the block's content first entered the cache.</summary>
        public double CachedAtS;

        /// <summary>Requests that computed or reused the block.</summary>
        public int AccessCount;

        /// <summary>Cacheable blocks of the prompt that cached it: the "size" of size-aware eviction.</summary>
        public int ChainBlocks;

        /// <summary>
        /// 1 when predicted to be reused within the horizon, else 0 (<see cref="EvictionPolicy.Predicted"/>); set as the
        /// block becomes unheld. An int, not a bool, so the struct keeps one blittable layout with the GPU's (32 bytes).
        /// </summary>
        public int PredictedReuse;

        /// <summary>
        /// Rank in arrival order of the next request whose prompt holds the block (<see cref="EvictionPolicy.Belady"/>),
        /// int.MaxValue when none comes; set as the block becomes unheld. It fills the 4 bytes the doubles' alignment
        /// left, so the layout stays 32 bytes.
        /// </summary>
        public int NextUseRank;
    }
}
