using Sim.Core.Ecs;
using Sim.Core.Pipeline;

namespace Sim.Core.Policies
{
    /// <summary>Sends a request to the replica with the fewest uncomputed tokens (<see cref="ReplicaLoad"/>); ties go to the lowest index.</summary>
    public sealed class LeastLoadedRouter : IRouter
    {
        public int Route(World world, ReplicaRuntime[] candidates, Entity request)
        {
            int best = candidates[0].Index;
            long bestTokens = long.MaxValue;
            foreach (ReplicaRuntime replica in candidates)
            {
                long tokens = ReplicaLoad.UncomputedTokens(world, replica);
                if (tokens < bestTokens)
                {
                    bestTokens = tokens;
                    best = replica.Index;
                }
            }
            return best;
        }
    }
}
