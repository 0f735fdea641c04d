namespace Sim.Core.Kv
{
    /// <summary>The leading 512-token blocks of a prompt found in a replica's prefix cache, by the tier each was found in.</summary>
    public struct PrefixMatch
    {
        /// <summary>Leading blocks found, in any tier; reuse stops at the first block found nowhere.</summary>
        public int Blocks;

        public int HbmBlocks;

        /// <summary>HBM hits no request holds now: reusing them takes their pages out of the free pages.</summary>
        public int EvictableHbmBlocks;

        public int HostBlocks;

        public int SsdBlocks;

        /// <summary>Tokens whose KV is reused instead of computed.</summary>
        public int Tokens => Blocks * PrefixKeys.HashBlockTokens;

        /// <summary>Time to copy the lower-tier hits up to HBM.</summary>
        public double TransferS;
    }
}
