namespace Sim.Core.Components
{
    /// <summary>A request's standing with its replica's prefix cache.</summary>
    public struct PrefixState
    {
        // The 8-byte key first, then the four ints: 24 bytes, not the 32 that padding before and after it made (every
        // request row carries this, waiting ones included).

        /// <summary>Content key of the last of the <see cref="CachedBlocks"/>: where the key chain continues.</summary>
        public ulong LastCachedKey;

        /// <summary>Leading 512-token prompt blocks already indexed or reused (reset when a preemption drops its KV).</summary>
        public int CachedBlocks;

        /// <summary>Prompt tokens reused at first admission, and of those, the ones copied up from host DRAM or SSD.</summary>
        public int HitTokens;

        public int HostHitTokens;

        public int SsdHitTokens;
    }
}
