using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.PerfModel;
using Sim.Core.Pipeline;
using Sim.Core.Policies;

namespace Sim.Core.Systems
{
    /// <summary>
    /// Prices each newly scheduled batch's forward pass with the replica's perf model and, with speculative decoding,
    /// the drafter's steps before it (whose drafts widen the verified sequences).
    /// </summary>
    public sealed class ExecuteSystem : ReplicaSystem
    {
        public ExecuteSystem(World world) : base(world)
        {
        }

        public override Phase Phase => Phase.Execute;

        protected override void Visit(ReplicaRuntime replica, ref ReplicaInfo info)
        {
            if (info.State != ReplicaState.Scheduled) return;
            SchedulerOutput decision = replica.InFlight;
            SequenceWork[] work = replica.BatchWork;
            for (int i = 0; i < decision.Count; i++)
            {
                ScheduledSequence sequence = decision[i];
                work[i] = new SequenceWork(sequence.NewTokens, sequence.ContextTokens);
            }
            double draftS = replica.Speculative?.Draft(World, replica.Kv, decision, work) ?? 0;
            double computeS = replica.PerfModel.IterationTimeS(new ReadOnlySpan<SequenceWork>(work, 0, decision.Count));
            replica.Speculative?.Verified(decision, computeS, draftS);
            replica.Outcome.ComputeS = computeS;
            replica.Outcome.DraftS = draftS;
        }
    }
}
