namespace Sim.Core.Components
{
    /// <summary>
    /// One permanent physical KV block of <c>block_tokens</c> tokens. Pages are created once at start;
    /// allocation rewrites these fields, never the world's structure. Links are physical page indices
    /// within the replica's pool (-1 = none), so free-list updates are O(1) and allocate nothing.
    /// </summary>
    public struct KvPage
    {
        public int Replica;

        /// <summary>Physical index within the replica's pool.</summary>
        public int Index;

        /// <summary>Id of the owning request; -1 when free.</summary>
        public long OwnerRequestId;

        /// <summary>Requests referencing this page (one until prefix sharing arrives).</summary>
        public int RefCount;

        public int PrevFree;

        public int NextFree;

        /// <summary>Next page of the same owner, in token order.</summary>
        public int NextOwned;
    }
}
