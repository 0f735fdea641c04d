namespace Sim.Core.Components
{
    /// <summary>A request's standing with its replica's prefix cache.</summary>
    public struct PrefixState
    {
        /// <summary>Leading 512-token prompt blocks already indexed or reused (reset when a preemption drops its KV).</summary>
        public int CachedBlocks;

        /// <summary>Content key of the last of those blocks: where the key chain continues.</summary>
        public ulong LastCachedKey;

        /// <summary>Prompt tokens reused at first admission, and of those, the ones copied up from host DRAM or SSD.</summary>
        public int HitTokens;

        public int HostHitTokens;

        public int SsdHitTokens;
    }
}
