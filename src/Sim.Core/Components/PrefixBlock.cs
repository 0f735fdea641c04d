using MemoryPack;
using Sim.Core.Kv;

namespace Sim.Core.Components
{
    /// <summary>
    /// One slot of a replica's prefix cache: a cached 512-token prompt block in HBM, or unused. Block entities are made
    /// once, when prefix caching is turned on, as many as the pool's pages can hold; indexing a block rewrites these
    /// fields, never the world's structure.
    /// </summary>
    // MemoryPackable: the struct holds an array, so snapshots need MemoryPack's generated formatter.
    [MemoryPackable]
    public partial struct PrefixBlock
    {
        public int Replica;

        /// <summary>Index among the replica's blocks (the prefix index's value and the eviction order's id).</summary>
        public int Index;

        /// <summary>Content key of the cached block; 0 while the slot is unused.</summary>
        public ulong Key;

        /// <summary>
        /// The block's pages in token order, as in every page table holding it (an array of its own, made with the
        /// entity, so a block's pages are read side by side rather than one link after another); stale while unused.
        /// </summary>
        public int[] Pages;

        /// <summary>The unused block below this one in the replica's stack (<see cref="KvPoolHeader.FreeBlock"/>); -1 at the bottom and while in use.</summary>
        public int NextFree;

        /// <summary>What eviction policies know of the block.</summary>
        public BlockUsage Usage;
    }
}
