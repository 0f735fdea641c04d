using MemoryPack;

namespace Sim.Core.Components
{
    /// <summary>
    /// A request's KV pages: one slot per <c>block_tokens</c> positions in token order, in an array rented from its
    /// replica's pool (-1 where token-level eviction freed the page); and, in token mode with mixed precision, the
    /// pages its low-precision tokens are packed into.
    /// </summary>
    // MemoryPackable: the struct holds arrays or strings, so snapshots need MemoryPack's generated formatter.
    [MemoryPackable]
    public partial struct KvPageTable
    {
        public int[] Pages;

        public int PageCount;

        public int[] PackedPages;

        public int PackedCount;
    }
}
