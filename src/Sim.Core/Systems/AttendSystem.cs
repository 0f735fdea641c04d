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
    /// Two passes over the replicas: the first prepares every sequence of every batch ending now (keys, and the queries
    /// to attend), so that attention over resident keys is one pass for all of them; the second applies each in turn.
    /// </summary>
    public sealed class AttendSystem : ReplicaSystem
    {
        readonly TokenStore _tokens;
        bool _applying;

        public AttendSystem(World world) : base(world)
        {
            _tokens = world.GetResource<TokenStore>();
        }

        public override Phase Phase => Phase.Complete;

        public override void Update()
        {
            _applying = false;
            base.Update();
            _tokens.Seal();
            _applying = true;
            base.Update();
            _tokens.EndStep();
        }

        protected override void Visit(ReplicaRuntime replica, ref ReplicaInfo info)
        {
            if (!EndsNow(info)) return;
            SchedulerOutput decision = replica.InFlight;
            if (_applying) _tokens.Stats.AddIteration(replica.Outcome.DurationS);
            for (int slot = 0; slot < decision.Count; slot++)
            {
                ScheduledSequence sequence = decision[slot];
                var row = new RequestRow(World, sequence.Request);
                ref RequestInfo request = ref row.Info;
                ref RequestProgress progress = ref row.Progress;
                int from = progress.ComputedTokens, to = from + sequence.NewTokens;
                bool emitsToken = to >= request.PromptTokens + progress.GeneratedTokens;
                if (!_applying)
                {
                    if (progress.TokenSlot < 0) progress.TokenSlot = _tokens.Open(request.Id, request.PromptTokens);
                    _tokens.Prepare(progress.TokenSlot, from, to, emitsToken, replica.Kv);
                }
                else progress.EvictedTokens = _tokens.Apply(progress.TokenSlot, from, to, emitsToken, ref row.Pages, replica.Kv, replica.Outcome.DurationS);
            }
        }
    }
}
