namespace Sim.Core.Host
{
    /// <summary>Where a request ended.</summary>
    public readonly struct RequestEnded
    {
        internal RequestEnded(long id, bool completed, double atS)
        {
            Id = id;
            Completed = completed;
            AtS = atS;
        }

        public long Id { get; }

        /// <summary>True when it produced all its output; false when it was rejected.</summary>
        public bool Completed { get; }

        public double AtS { get; }
    }

    /// <summary>KV evicted during one step: cached prefix blocks on a replica, or (token mode, <see cref="Replica"/> -1) individual tokens.</summary>
    public readonly struct Eviction
    {
        internal Eviction(int replica, long blocks, long tokens)
        {
            Replica = replica;
            Blocks = blocks;
            Tokens = tokens;
        }

        public int Replica { get; }
        public long Blocks { get; }
        public long Tokens { get; }
    }
}
