using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Metrics;
using Sim.Core.Policies;

namespace Sim.Core.Pipeline
{
    /// <summary>
    /// A lane kept across the phases' steps that did to its replica only what the lane foresaw: requests routed to its queue, its
    /// quiet batch completed, or its batch of every running decode scheduled. The lane then takes that step from the replica's
    /// signature instead of reading its requests afresh.
    /// </summary>
    internal sealed partial class DecodeLane
    {
        /// <summary>
        /// Takes the phases' steps since the lane last saw the replica when they did only what the lane foresaw (see the class);
        /// false when the lane must be built afresh.
        /// </summary>
        public bool Resume(World world, in ReplicaInfo info, int waiting, int running)
        {
            if (!_known || !_promised || running != Running) return false;
            if (info.State == ReplicaState.Executing && _seenState == ReplicaState.Executing && info.Iterations == _seenIterations && info.BusyUntilS == _seenBusyUntilS)
                return TakeArrivals(world, waiting);
            if (waiting != Waiting || _dirty) return false;
            if (info.State == ReplicaState.Idle && _seenState == ReplicaState.Executing && CompletesBatch && !_finishesInFlight && info.Iterations == _seenIterations + 1 && info.BusyUntilS == _seenBusyUntilS)
                TakeCompletion(info);
            else if (info.State == ReplicaState.Executing && _seenState == ReplicaState.Idle && CanSchedule && info.Iterations == _seenIterations && SchedulesTheLanesBatch())
                TakeSchedule();
            else return false;
            Note(info);
            return true;
        }

        /// <summary>Requests were routed to the replica's queue: the scheduler is asked its promise again (an arrival may end it).</summary>
        public bool TakeArrivals(World world, int waiting)
        {
            Waiting = waiting;
            if (!((IRepeatsDecodeBatches)_replica.Scheduler).SchedulesEveryDecode(world, _replica))
            {
                _promised = false;
                QuietLeft = 0;
                FinalBatch = false;
            }
            return true;
        }

        /// <summary>The phases completed the lane's quiet batch (its end was another step's event too) and logged its tokens.</summary>
        void TakeCompletion(in ReplicaInfo info)
        {
            Advance(null, info.BusyUntilS);
            CompletesBatch = false;
        }

        /// <summary>Whether the replica's batch in flight is the one the lane would schedule: every running request's decode, in running order.</summary>
        bool SchedulesTheLanesBatch()
        {
            SchedulerOutput decision = _replica.InFlight;
            if (decision.Count != Running || decision.DecodeTokens != Running || decision.PrefillTokens != 0 || decision.PreemptedRequestIds.Count != 0) return false;
            for (int i = 0; i < Running; i++)
                if (decision[i].Request != _requests[i]) return false;
            return true;
        }

        /// <summary>The phases scheduled the lane's batch (the step's event was not quiet for another replica), reserving its pages.</summary>
        void TakeSchedule()
        {
            ReservePages(null);
            _decisionIsBatch = true;
            _scheduledSinceFold = false;
            CountBatch();
        }
    }
}
