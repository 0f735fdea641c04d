using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;

namespace Sim.Core.Policies
{
    /// <summary>Preemption by recompute: the request loses its KV and rejoins the front of the waiting queue.</summary>
    public static class Preemption
    {
        /// <summary>Preempts the newest running request of <paramref name="replica"/>; returns it.</summary>
        public static Entity PreemptNewest(World world, ReplicaRuntime replica, SchedulerOutput output)
        {
            int last = replica.Running.Count - 1;
            Entity victim = replica.Running[last];
            replica.Running.RemoveAt(last);
            replica.Kv.Release(ref world.Get<KvPageTable>(victim));
            ref RequestProgress progress = ref world.Get<RequestProgress>(victim);
            progress.ComputedTokens = 0;
            progress.Preemptions++;
            progress.Phase = RequestPhase.Queued;
            replica.Waiting.PushFront(victim);
            output.PreemptedRequestIds.Add(world.Get<RequestInfo>(victim).Id);
            return victim;
        }
    }
}
