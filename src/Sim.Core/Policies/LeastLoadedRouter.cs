using System;
using Sim.Core.Compute;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;

namespace Sim.Core.Policies
{
    /// <summary>
    /// Sends a request to the replica with the fewest uncomputed tokens (<see cref="ReplicaLoad"/>); ties go to the lowest
    /// index. The choice runs through the compute backend's routing kernel.
    /// </summary>
    public sealed class LeastLoadedRouter : IRouter
    {
        readonly IComputeBackend _backend;
        ReplicaScore[] _scores = Array.Empty<ReplicaScore>();

        public LeastLoadedRouter(IComputeBackend backend)
        {
            _backend = backend;
        }

        public int Route(World world, ReplicaRuntime[] candidates, Entity request)
        {
            if (_scores.Length < candidates.Length) _scores = new ReplicaScore[candidates.Length];
            for (int i = 0; i < candidates.Length; i++)
                _scores[i] = new ReplicaScore { UncomputedTokens = ReplicaLoad.UncomputedTokens(world, candidates[i]) };
            return candidates[_backend.BestReplica(_scores.AsSpan(0, candidates.Length))].Index;
        }
    }
}
