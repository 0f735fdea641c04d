using MemoryPack;

namespace Sim.Core.Components
{
    /// <summary>
    /// A replica's KV pool as component data, on the replica entity: its empty-page queue (vLLM's free block queue) as a
    /// ring of page indices with its front and length, and the pages an admission leaves free. Pages are named by index,
    /// since they are permanent entities created in index order.
    /// </summary>
    // MemoryPackable: the struct holds an array, so snapshots need MemoryPack's generated formatter.
    [MemoryPackable]
    public partial struct KvPoolHeader
    {
        /// <summary>
        /// The empty pages' indices in queue order, starting at <see cref="EmptyFront"/> and wrapping around: a power of two
        /// at least the pool's page count long, so every page fits and a position is a mask. Taking the front pages is
        /// then a copy of a range of indices, not a walk from each page to the next.
        /// </summary>
        public int[] EmptyRing;

        /// <summary>Position in <see cref="EmptyRing"/> of the page the next allocation takes.</summary>
        public int EmptyFront;

        /// <summary>Pages in the empty queue.</summary>
        public int EmptyCount;

        /// <summary>With prefix caching, the top of the stack of unused <see cref="PrefixBlock"/> indices (linked through <see cref="PrefixBlock.NextFree"/>); -1 when none is left.</summary>
        public int FreeBlock;

        /// <summary>vLLM v0's block-manager watermark in pages (<c>int(watermark × blocks)</c>).</summary>
        public int WatermarkPages;
    }
}
