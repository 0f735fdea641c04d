namespace Sim.Core.Components
{
    /// <summary>
    /// A replica's KV pool as component data, on the replica entity: the ends and length of its empty-page queue (vLLM's
    /// free block queue, linked through each member's <see cref="KvPage.NextEmpty"/>) and the pages an admission leaves
    /// free. Page links are page indices, since pages are permanent entities created in index order.
    /// </summary>
    public struct KvPoolHeader
    {
        /// <summary>The page the next allocation takes; -1 when none is empty.</summary>
        public int FirstEmpty;

        /// <summary>The page released last, behind which the next release goes; -1 when none is empty.</summary>
        public int LastEmpty;

        /// <summary>Pages in the empty queue.</summary>
        public int EmptyCount;

        /// <summary>With prefix caching, the top of the stack of unused <see cref="PrefixBlock"/> indices (linked through <see cref="PrefixBlock.NextFree"/>); -1 when none is left.</summary>
        public int FreeBlock;

        /// <summary>vLLM v0's block-manager watermark in pages (<c>int(watermark × blocks)</c>).</summary>
        public int WatermarkPages;
    }
}
