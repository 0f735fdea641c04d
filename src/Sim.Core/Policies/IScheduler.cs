using Sim.Core.Ecs;
using Sim.Core.Pipeline;

namespace Sim.Core.Policies
{
    /// <summary>
    /// Chooses the next iteration's batch for one replica: moves requests between its queues, reserves
    /// and releases KV pages, and writes the decision into <paramref name="output"/>. Holds no state of its own.
    /// </summary>
    public interface IScheduler
    {
        /// <summary>What admission reserves KV pages for: the tokens computed so far, the whole prompt, or the whole request.</summary>
        KvReservation Reservation { get; }

        void Schedule(World world, ReplicaRuntime replica, double nowS, SchedulerOutput output);
    }
}
