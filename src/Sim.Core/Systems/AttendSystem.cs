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
            foreach (ReplicaRuntime replica in _cluster.Replicas)
            {
                ref ReplicaInfo info = ref _world.Get<ReplicaInfo>(replica.Entity);
                if (info.State != ReplicaState.Executing || info.BusyUntilS != _clock.NowS) continue;
                SchedulerOutput output = replica.InFlight;
                _tokens.Stats.AddIteration(output.DurationS);
                foreach (ScheduledSequence sequence in output.Sequences)
                {
                    ref RequestInfo request = ref _world.Get<RequestInfo>(sequence.Request);
                    ref RequestProgress progress = ref _world.Get<RequestProgress>(sequence.Request);
                    if (progress.TokenSlot < 0) progress.TokenSlot = _tokens.Open(request.Id, request.PromptTokens);
                    int from = progress.ComputedTokens, to = from + sequence.NewTokens;
                    bool emitsToken = to >= request.PromptTokens + progress.GeneratedTokens;
                    progress.EvictedTokens = _tokens.Advance(progress.TokenSlot, from, to, emitsToken, ref _world.Get<KvPageTable>(sequence.Request), replica.Kv, output.DurationS);
                }
            }
        }
    }
}
