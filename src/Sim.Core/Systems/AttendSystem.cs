using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;
using Sim.Core.Policies;
using Sim.Core.Tokens;

namespace Sim.Core.Systems
{
    /// <summary>
    /// Token mode: for every batch that ends now, before its tokens are applied, each sequence's newly computed
    /// positions become token entities, the queries the policy needs attend, and the compression policy evicts (freeing pages).
    /// </summary>
    public sealed class AttendSystem : ISystem
    {
        readonly World _world;
        readonly SimClock _clock;
        readonly Cluster _cluster;
        readonly TokenStore _tokens;

        public AttendSystem(World world)
        {
            _world = world;
            _clock = world.GetResource<SimClock>();
            _cluster = world.GetResource<Cluster>();
            _tokens = world.GetResource<TokenStore>();
        }

        public Phase Phase => Phase.Complete;

        public void Update()
        {
            foreach (Chunk chunk in _world.GetChunks(in ReplicaQuery.All))
            {
                Span<ReplicaInfo> replicas = chunk.GetSpan<ReplicaInfo>();
                for (int i = 0; i < replicas.Length; i++)
                    if (replicas[i].State == ReplicaState.Executing && replicas[i].BusyUntilS == _clock.NowS)
                        Attend(_cluster.Replicas[replicas[i].Index]);
            }
        }

        void Attend(ReplicaRuntime replica)
        {
            SchedulerOutput decision = replica.InFlight;
            _tokens.Stats.AddIteration(replica.Outcome.DurationS);
            for (int slot = 0; slot < decision.Count; slot++)
            {
                ScheduledSequence sequence = decision[slot];
                var row = new RequestRow(_world, sequence.Request);
                ref RequestInfo request = ref row.Info;
                ref RequestProgress progress = ref row.Progress;
                if (progress.TokenSlot < 0) progress.TokenSlot = _tokens.Open(request.Id, request.PromptTokens);
                int from = progress.ComputedTokens, to = from + sequence.NewTokens;
                bool emitsToken = to >= request.PromptTokens + progress.GeneratedTokens;
                progress.EvictedTokens = _tokens.Advance(progress.TokenSlot, from, to, emitsToken, ref row.Pages, replica.Kv, replica.Outcome.DurationS);
            }
        }
    }
}
