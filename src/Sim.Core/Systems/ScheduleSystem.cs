using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;
using Sim.Core.Policies;

namespace Sim.Core.Systems
{
    /// <summary>Lets every idle replica that has requests choose its next batch; the decision is final once made.</summary>
    public sealed class ScheduleSystem : ReplicaSystem
    {
        public ScheduleSystem(World world) : base(world)
        {
        }

        public override Phase Phase => Phase.Schedule;

        protected override void Visit(ReplicaRuntime replica, ref ReplicaInfo info)
        {
            if (info.State != ReplicaState.Idle) return;
            RequestQueue.Both(World, replica, out RequestQueue waiting, out RequestQueue running);
            if (waiting.Count == 0 && running.Count == 0) return;
            SchedulerOutput decision = replica.InFlight;
            decision.Clear(replica.Index, info.Iterations, Clock.NowS);
            replica.Scheduler.Schedule(World, replica, Clock.NowS, decision);
            if (decision.Count == 0)
                throw new InvalidOperationException("replica " + replica.Index + " has work but its scheduler chose an empty batch at t=" + Clock.NowS + " s");
            Decided(replica, waiting.Count, running.Count, ref info);
        }

        /// <summary>
        /// Seals the replica's decision, just made, and starts its iteration's outcome with the KV pages in use and the queue
        /// lengths after it (the fast-forward ends an admission it scheduled itself here too).
        /// </summary>
        internal static void Decided(ReplicaRuntime replica, int waiting, int running, ref ReplicaInfo info)
        {
            replica.InFlight.Seal();
            IterationOutcome outcome = replica.Outcome;
            outcome.Clear();
            outcome.KvUsedPages = replica.Kv.UsedPages;
            outcome.Waiting = waiting;
            outcome.Running = running;
            info.State = ReplicaState.Scheduled;
        }
    }
}
