using System;
using Sim.Core.Components;
using Sim.Core.Compute;
using Sim.Core.Ecs;
using Sim.Core.Kv;
using Sim.Core.Pipeline;

namespace Sim.Core.Policies
{
    /// <summary>
    /// Sends a request to the replica holding the longest leading part of its prompt in its prefix cache (any tier);
    /// ties, including requests without prefix hashes, go to the fewest uncomputed tokens, then the lowest index.
    /// The choice runs through the compute backend's routing kernel.
    /// </summary>
    public sealed class PrefixAwareRouter : IRouter
    {
        readonly IComputeBackend _backend;
        ReplicaScore[] _scores = Array.Empty<ReplicaScore>();

        public PrefixAwareRouter(IComputeBackend backend)
        {
            _backend = backend;
        }

        public int Route(World world, ReplicaRuntime[] candidates, Entity request)
        {
            ref RequestInfo info = ref new RequestRow(world, request).Info;
            if (_scores.Length < candidates.Length) _scores = new ReplicaScore[candidates.Length];
            for (int i = 0; i < candidates.Length; i++)
            {
                PrefixCache? cache = candidates[i].Kv.Prefix;
                _scores[i] = new ReplicaScore
                {
                    PrefixBlocks = cache == null || info.HashIds == null ? 0 : cache.Match(info.HashIds, info.PromptTokens).Blocks,
                    UncomputedTokens = ReplicaLoad.UncomputedTokens(world, candidates[i]),
                };
            }
            return candidates[_backend.BestReplica(_scores.AsSpan(0, candidates.Length))].Index;
        }
    }
}
