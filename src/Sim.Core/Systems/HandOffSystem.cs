using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;
using Sim.Core.Policies;
using Sim.Core.Scenes;

namespace Sim.Core.Systems
{
    /// <summary>
    /// Disaggregated clusters: a prefill replica's request whose batch ends with its first token (and that has more to
    /// generate) leaves for the decode pool: it leaves the running queue, its pages here are freed and its KV starts
    /// crossing the link.
    /// </summary>
    public sealed class HandOffSystem : ReplicaSystem
    {
        readonly KvTransfers _transfers;

        public HandOffSystem(World world) : base(world)
        {
            _transfers = world.GetResource<KvTransfers>();
        }

        public override Phase Phase => Phase.Complete;

        protected override void Visit(ReplicaRuntime replica, ref ReplicaInfo info)
        {
            if (info.Role != ReplicaRole.Prefill || !EndsNow(info)) return;
            double nowS = Clock.NowS;
            SchedulerOutput decision = replica.InFlight;
            IterationOutcome outcome = replica.Outcome;
            for (int slot = 0; slot < decision.Count; slot++)
            {
                ScheduledSequence sequence = decision[slot];
                var row = new RequestRow(World, sequence.Request);
                ref RequestInfo request = ref row.Info;
                ref RequestProgress progress = ref row.Progress;
                int computed = progress.ComputedTokens + sequence.NewTokens;
                bool firstToken = progress.GeneratedTokens == 0 && computed >= request.PromptTokens;
                if (!firstToken || request.OutputTokens <= 1) continue;
                replica.Kv.Release(ref row.Pages, nowS);
                progress.Phase = RequestPhase.InTransit;
                RequestQueue.Running(World, replica).Remove(sequence.Request);
                double transferS = _transfers.TransferS(computed);
                // Last, as it moves the request to another archetype (the row's references end here).
                World.Add(sequence.Request, new KvLanding { ReadyS = nowS + transferS });
                outcome.HandOffs++;
                outcome.HandOffS = Math.Max(outcome.HandOffS, transferS);
            }
        }
    }
}
