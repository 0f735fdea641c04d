using Sim.Core.Ecs;

namespace Sim.Core.Policies
{
    /// <summary>One request's share of an iteration.</summary>
    public struct ScheduledSequence
    {
        public Entity Request;

        public long RequestId;

        /// <summary>Tokens computed this iteration: a prefill chunk, or 1 for a decode.</summary>
        public int NewTokens;

        /// <summary>Tokens already in the KV cache before this iteration.</summary>
        public int ContextTokens;

        /// <summary>Whether this iteration computes prompt (or recomputed) tokens rather than one decode token.</summary>
        public bool IsPrefill;
    }
}
