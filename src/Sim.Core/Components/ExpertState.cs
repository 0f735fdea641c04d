namespace Sim.Core.Components
{
    /// <summary>One routed expert of one MoE layer of a replica (MoE mode): where it is and how it has been used.</summary>
    public struct ExpertState
    {
        public int Replica;

        public int Layer;

        public int Index;

        /// <summary>GPU of the replica holding it under expert parallelism; 0 when every GPU holds a TP shard.</summary>
        public int Device;

        public ExpertTier Tier;

        /// <summary>Tokens routed to it (the gate's sample scaled to each iteration's tokens).</summary>
        public double TokensRouted;

        public long Hits;

        public long Misses;
    }

    public enum ExpertTier : byte
    {
        Hbm,
        Host,
        Ssd,
    }
}
