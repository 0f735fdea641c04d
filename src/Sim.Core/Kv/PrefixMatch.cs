namespace Sim.Core.Kv
{
    /// <summary>The leading pages of a prompt found in a replica's prefix cache, by the tier each was found in.</summary>
    public struct PrefixMatch
    {
        /// <summary>Leading pages found, in any tier; reuse stops at the first page found nowhere.</summary>
        public int Pages;

        public int HbmPages;

        /// <summary>HBM hits no request holds now: reusing them takes them out of the evictable pages.</summary>
        public int EvictableHbmPages;

        public int HostPages;

        public int SsdPages;

        /// <summary>Tokens whose KV is reused instead of computed.</summary>
        public int Tokens;

        /// <summary>Time to copy the lower-tier hits up to HBM.</summary>
        public double TransferS;
    }
}
