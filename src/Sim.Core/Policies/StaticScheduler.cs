using Sim.Core.Ecs;
using Sim.Core.Pipeline;

namespace Sim.Core.Policies
{
    /// <summary>
    /// Request-level (static) batching: a batch is formed from the waiting queue only when the previous one has
    /// entirely finished, and runs until its last request completes; KV is reserved for whole requests.
    /// </summary>
    public sealed class StaticScheduler : IScheduler, IRepeatsDecodeBatches
    {
        readonly SchedulerLimits _limits;

        public StaticScheduler(SchedulerLimits limits)
        {
            _limits = limits;
        }

        public KvReservation Reservation => KvReservation.WholeRequest;

        /// <summary>A running batch advances every iteration until its last request ends; nothing is admitted meanwhile.</summary>
        public bool SchedulesEveryDecode(World world, ReplicaRuntime replica) => RequestQueue.Running(world, replica).Count > 0;

        public void Schedule(World world, ReplicaRuntime replica, double nowS, SchedulerOutput output)
        {
            int budget = _limits.MaxBatchTokens;
            if (RequestQueue.Running(world, replica).Count > 0) WholeRequestBatching.ScheduleRunning(world, replica, output, ref budget);
            else WholeRequestBatching.AdmitWaiting(world, replica, nowS, output, ref budget, _limits);
        }
    }
}
