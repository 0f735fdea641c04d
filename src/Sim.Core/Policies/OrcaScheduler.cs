using Sim.Core.Ecs;
using Sim.Core.Pipeline;

namespace Sim.Core.Policies
{
    /// <summary>
    /// Orca (OSDI'22) iteration-level batching: every running request advances each iteration and new requests join
    /// between iterations with their whole prompt; KV is reserved for the whole request at admission (no paging
    /// on demand, so no preemption).
    /// </summary>
    public sealed class OrcaScheduler : IScheduler, IRepeatsDecodeBatches
    {
        readonly SchedulerLimits _limits;

        public OrcaScheduler(SchedulerLimits limits)
        {
            _limits = limits;
        }

        public KvReservation Reservation => KvReservation.WholeRequest;

        /// <summary>Every running request advances every iteration; admission must find nothing to admit.</summary>
        public bool SchedulesEveryDecode(World world, ReplicaRuntime replica) =>
            WholeRequestBatching.AdmitsNothing(world, replica, _limits.MaxBatchTokens - RequestQueue.Running(world, replica).Count, _limits);

        public void Schedule(World world, ReplicaRuntime replica, double nowS, SchedulerOutput output)
        {
            int budget = _limits.MaxBatchTokens;
            WholeRequestBatching.ScheduleRunning(world, replica, output, ref budget);
            WholeRequestBatching.AdmitWaiting(world, replica, nowS, output, ref budget, _limits);
        }
    }
}
