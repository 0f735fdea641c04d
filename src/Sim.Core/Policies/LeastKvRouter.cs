using Sim.Core.Ecs;
using Sim.Core.Pipeline;

namespace Sim.Core.Policies
{
    /// <summary>Sends a request to the replica with the most free KV pages; ties go to the lowest index.</summary>
    public sealed class LeastKvRouter : IRouter
    {
        public int Route(World world, ReplicaRuntime[] candidates, Entity request)
        {
            int best = candidates[0].Index, bestFree = -1;
            foreach (ReplicaRuntime replica in candidates)
            {
                if (replica.Kv.FreePages > bestFree)
                {
                    bestFree = replica.Kv.FreePages;
                    best = replica.Index;
                }
            }
            return best;
        }
    }
}
