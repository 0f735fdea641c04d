namespace Sim.Core.Compute
{
    /// <summary>What the load- and prefix-aware routers weigh for one candidate replica (the routing kernel's input).</summary>
    public struct ReplicaScore
    {
        /// <summary>Tokens its requests still have to compute before their next output token (a double: shaders have no 64-bit integers everywhere, and counts stay far below 2^53).</summary>
        public double UncomputedTokens;

        /// <summary>Leading 512-token blocks of the request's prompt in the replica's prefix cache (0 for load-only routing).</summary>
        public int PrefixBlocks;
    }
}
