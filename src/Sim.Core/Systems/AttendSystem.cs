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
    public sealed class AttendSystem : ReplicaSystem
    {
        readonly TokenStore _tokens;

        public AttendSystem(World world) : base(world)
        {
            _tokens = world.GetResource<TokenStore>();
        }

        public override Phase Phase => Phase.Complete;

        protected override void Visit(ReplicaRuntime replica, ref ReplicaInfo info)
        {
            if (!EndsNow(info)) return;
            SchedulerOutput decision = replica.InFlight;
            _tokens.Stats.AddIteration(replica.Outcome.DurationS);
            for (int slot = 0; slot < decision.Count; slot++)
            {
                ScheduledSequence sequence = decision[slot];
                var row = new RequestRow(World, sequence.Request);
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
