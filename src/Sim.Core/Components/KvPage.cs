namespace Sim.Core.Components
{
    /// <summary>
    /// One permanent physical KV block of <c>block_tokens</c> tokens. Pages are created once at start;
    /// allocation rewrites these fields, never the world's structure.
    /// </summary>
    public struct KvPage
    {
        public int Replica;

        /// <summary>Physical index within the replica's pool.</summary>
        public int Index;

        /// <summary>Requests whose page tables hold this page (more than one when a prefix is shared).</summary>
        public int RefCount;

        /// <summary>Prefix-cache key of the page's content; 0 when it holds nothing reusable.</summary>
        public ulong ContentKey;
    }
}
