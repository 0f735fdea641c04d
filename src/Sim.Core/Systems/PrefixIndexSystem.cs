using System;
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
    public sealed class PrefixIndexSystem : ISystem
    {
        readonly World _world;
        readonly SimClock _clock;
        readonly Cluster _cluster;

        public PrefixIndexSystem(World world)
        {
            _world = world;
            _clock = world.GetResource<SimClock>();
            _cluster = world.GetResource<Cluster>();
        }

        public Phase Phase => Phase.Complete;

        public void Update()
        {
            foreach (Chunk chunk in _world.GetChunks(in ReplicaQuery.All))
            {
                Span<ReplicaInfo> replicas = chunk.GetSpan<ReplicaInfo>();
                for (int i = 0; i < replicas.Length; i++)
                    if (replicas[i].State == ReplicaState.Executing && replicas[i].BusyUntilS == _clock.NowS)
                        Index(_cluster.Replicas[replicas[i].Index]);
            }
        }

        void Index(ReplicaRuntime replica)
        {
            Kv.PrefixCache? cache = replica.Kv.Prefix;
            if (cache == null) return;
            SchedulerOutput decision = replica.InFlight;
            for (int slot = 0; slot < decision.Count; slot++)
            {
                ScheduledSequence sequence = decision[slot];
                var row = new RequestRow(_world, sequence.Request);
                ref RequestInfo info = ref row.Info;
                if (info.HashIds == null) continue;
                // Drafts a verify step accepts are output tokens, past every prompt block: the batch's own tokens are what counts here.
                int computed = row.Progress.ComputedTokens + sequence.NewTokens;
                ref PrefixState prefix = ref row.Prefix;
                cache.RegisterComputed(row.Pages, info.HashIds, info.PromptTokens, computed,
                    ref prefix.CachedBlocks, ref prefix.LastCachedKey, _clock.NowS);
            }
        }
    }
}
