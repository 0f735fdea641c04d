using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;

namespace Sim.Core.Policies
{
    /// <summary>How much work a replica holds, as routers compare it.</summary>
    public static class ReplicaLoad
    {
        /// <summary>
        /// Tokens its requests still have to compute before their next output token: prompts (or recomputations)
        /// not yet in the KV cache, and one per decode. Counted as of the last completed iteration.
        /// </summary>
        public static long UncomputedTokens(World world, ReplicaRuntime replica)
        {
            long tokens = 0;
            RequestQueue.Both(world, replica, out RequestQueue waiting, out RequestQueue running);
            foreach (RequestRow request in waiting) tokens += request.Uncomputed;
            foreach (RequestRow request in running) tokens += request.Uncomputed;
            return tokens;
        }
    }
}
