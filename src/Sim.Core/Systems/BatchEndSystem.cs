using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;

namespace Sim.Core.Systems
{
    /// <summary>
    /// Sets each new batch's length and end: the priced forward pass, after the drafter's steps (same GPUs) and the KV
    /// copies the scheduler started (not overlapped with compute).
    /// </summary>
    public sealed class BatchEndSystem : ReplicaSystem
    {
        public BatchEndSystem(World world) : base(world)
        {
        }

        public override Phase Phase => Phase.Execute;

        protected override void Visit(ReplicaRuntime replica, ref ReplicaInfo info)
        {
            if (info.State != ReplicaState.Scheduled) return;
            IterationOutcome outcome = replica.Outcome;
            double computeS = outcome.ComputeS;
            if (!(computeS > 0) || double.IsInfinity(computeS))
                throw new InvalidOperationException("the perf model returned " + computeS + " s for an iteration of replica " + replica.Index);
            outcome.DurationS = computeS + outcome.DraftS + replica.InFlight.TransferS;
            info.BusyUntilS = Clock.NowS + outcome.DurationS;
            info.State = ReplicaState.Executing;
        }
    }
}
