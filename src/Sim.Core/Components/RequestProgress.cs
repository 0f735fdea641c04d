namespace Sim.Core.Components
{
    /// <summary>How far a request has come. A token is emitted whenever <see cref="ComputedTokens"/> catches up with <see cref="KnownTokens"/>.</summary>
    public struct RequestProgress
    {
        /// <summary>Replica the request was routed to; -1 before routing.</summary>
        public int Replica;

        /// <summary>Tokens whose KV is in the cache (reset to 0 by a recompute preemption).</summary>
        public int ComputedTokens;

        public int GeneratedTokens;

        public int Preemptions;

        /// <summary>Token mode: computed tokens evicted by KV compression (attention reads the rest).</summary>
        public int EvictedTokens;

        /// <summary>Token mode: the request's slot in the token store; -1 when it holds no tokens.</summary>
        public int TokenSlot;

        /// <summary>Its computed tokens' KV waits in host memory (a swap preemption) rather than arriving with it.</summary>
        public bool KvSwappedOut;

        public RequestPhase Phase;
    }

    public enum RequestPhase : byte
    {
        Queued,
        Running,

        /// <summary>Prefilled; its KV is crossing to a decode replica.</summary>
        InTransit,
        Finished,
    }
}
