using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Kv;
using Sim.Core.Pipeline;

namespace Sim.Core.Policies
{
    /// <summary>
    /// Sends a request to the replica holding the longest leading part of its prompt in its prefix cache (any tier);
    /// ties, including requests without prefix hashes, go to the fewest uncomputed tokens, then the lowest index.
    /// </summary>
    public sealed class PrefixAwareRouter : IRouter
    {
        public int Route(World world, ReplicaRuntime[] candidates, Entity request)
        {
            ref RequestInfo info = ref world.Get<RequestInfo>(request);
            int best = candidates[0].Index, bestBlocks = -1;
            long bestTokens = long.MaxValue;
            foreach (ReplicaRuntime replica in candidates)
            {
                PrefixCache? cache = replica.Kv.Prefix;
                int blocks = cache == null || info.HashIds == null ? 0 : cache.Match(info.HashIds, info.PromptTokens).Blocks;
                if (blocks < bestBlocks) continue;
                long tokens = ReplicaLoad.UncomputedTokens(world, replica);
                if (blocks == bestBlocks && tokens >= bestTokens) continue;
                best = replica.Index;
                bestBlocks = blocks;
                bestTokens = tokens;
            }
            return best;
        }
    }
}
