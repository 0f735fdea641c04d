using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;
using Sim.Core.Tokens;

namespace Sim.Core.Policies
{
    /// <summary>
    /// Preemption frees a running request's KV pages and sends it back to the front of the waiting queue. By
    /// recompute, its KV is dropped and computed again when it is readmitted (its cached prompt blocks stay cached
    /// while nothing evicts them, so it may find them again). By swap, its KV is copied to host memory first (the
    /// copy delays this iteration) and copied back when it is readmitted.
    /// </summary>
    public static class Preemption
    {
        /// <summary>
        /// Reserves pages for <paramref name="request"/>'s next <paramref name="newTokens"/>, preempting the newest running
        /// requests until they fit; false when <paramref name="request"/> was itself the newest and was preempted.
        /// Callers visit running requests oldest first, so the ones already scheduled are never the victims.
        /// </summary>
        public static bool ReserveOrPreempt(World world, ReplicaRuntime replica, Entity request, in RequestRow row, int newTokens, SchedulerOutput output)
        {
            while (!Admission.TryReserveNext(replica, row, newTokens))
                if (PreemptNewest(world, replica, output) == request) return false;
            return true;
        }

        /// <summary>Preempts the newest running request of <paramref name="replica"/>; returns it.</summary>
        public static Entity PreemptNewest(World world, ReplicaRuntime replica, SchedulerOutput output)
        {
            RequestQueue running = RequestQueue.Running(world, replica);
            Entity victim = running.Last;
            running.Remove(victim);
            var row = new RequestRow(world, victim);
            replica.Kv.Release(ref row.Pages, output.StartS);
            ref RequestProgress progress = ref row.Progress;
            if (replica.Swap != null && progress.ComputedTokens > 0 && replica.Swap.TryTake(progress.ComputedTokens))
            {
                output.TransferS += replica.Swap.TransferS(progress.ComputedTokens);
                output.SwappedOutRequests++;
                progress.KvSwappedOut = true;
            }
            else
            {
                progress.ComputedTokens = 0;
                progress.EvictedTokens = 0;
                if (progress.TokenSlot >= 0)
                {
                    world.GetResource<TokenStore>().Close(progress.TokenSlot);
                    progress.TokenSlot = -1;
                }
                ref PrefixState prefix = ref row.Prefix;
                prefix.CachedBlocks = 0;
                prefix.LastCachedKey = 0;
            }
            progress.Preemptions++;
            progress.Phase = RequestPhase.Queued;
            RequestQueue.Waiting(world, replica).PushFront(victim);
            output.AddPreempted(row.Info.Id);
            return victim;
        }
    }
}
