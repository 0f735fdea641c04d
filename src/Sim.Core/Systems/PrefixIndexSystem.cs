using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;
using Sim.Core.Policies;

namespace Sim.Core.Systems
{
    /// <summary>
    /// Prefix caching: as a batch ends, the whole prompt blocks its sequences have now computed enter the replica's
    /// prefix index, before any finished request lets go of its pages (so those blocks stay cached, evictable).
    /// </summary>
    public sealed class PrefixIndexSystem : ReplicaSystem
    {
        public PrefixIndexSystem(World world) : base(world)
        {
        }

        public override Phase Phase => Phase.Complete;

        protected override void Visit(ReplicaRuntime replica, ref ReplicaInfo info)
        {
            Kv.PrefixCache? cache = replica.Kv.Prefix;
            if (cache == null || !EndsNow(info)) return;
            SchedulerOutput decision = replica.InFlight;
            for (int slot = 0; slot < decision.Count; slot++)
            {
                ScheduledSequence sequence = decision[slot];
                var row = new RequestRow(World, sequence.Request);
                ref RequestInfo request = ref row.Info;
                if (request.HashIds == null) continue;
                // Drafts a verify step accepts are output tokens, past every prompt block: the batch's own tokens are what counts here.
                int computed = row.Progress.ComputedTokens + sequence.NewTokens;
                ref PrefixState prefix = ref row.Prefix;
                cache.RegisterComputed(row.Pages, request.HashIds, request.PromptTokens, computed, ref prefix.CachedBlocks, ref prefix.LastCachedKey, Clock.NowS);
            }
        }
    }
}
