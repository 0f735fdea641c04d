using Sim.Core.Kv;

namespace Sim.Core.Components
{
    /// <summary>
    /// One slot of a replica's prefix cache: a cached 512-token prompt block in HBM, or unused. Block entities are made
    /// once, when prefix caching is turned on, as many as the pool's pages can hold; indexing a block rewrites these
    /// fields, never the world's structure.
    /// </summary>
    public struct PrefixBlock
    {
        public int Replica;

        /// <summary>Index among the replica's blocks (the prefix index's value and the eviction order's id).</summary>
        public int Index;

        /// <summary>Content key of the cached block; 0 while the slot is unused.</summary>
        public ulong Key;

        /// <summary>The block's first page; the rest follow through <see cref="KvPage.NextInBlock"/>. -1 while unused.</summary>
        public int FirstPage;

        /// <summary>The unused block below this one in the replica's stack (<see cref="KvPoolHeader.FreeBlock"/>); -1 at the bottom and while in use.</summary>
        public int NextFree;

        /// <summary>What eviction policies know of the block.</summary>
        public BlockUsage Usage;
    }
}
