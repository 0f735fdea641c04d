using Sim.Core.Ecs;
using Sim.Core.Pipeline;

namespace Sim.Core.Policies
{
    /// <summary>
    /// A scheduler whose batch, while every running request is decoding and finds its next KV page, is every running request's
    /// decode in running order (reserving their pages in that order) followed by the waiting requests it admits after them.
    /// The fast-forward then schedules those decodes itself, as it does a quiet batch, and asks the scheduler only for the
    /// admissions (<see cref="AdmitAfterDecodes"/>), instead of the scheduler walking its running requests again.
    /// </summary>
    public interface IAdmitsAfterDecodes
    {
        /// <summary>Whether, with <paramref name="running"/> requests running and every one decoding, the batch puts all their decodes first.</summary>
        bool DecodesComeFirst(int running);

        /// <summary>
        /// Adds to <paramref name="output"/>, which holds every running request's decode (their pages reserved, none preempted),
        /// the waiting requests that <see cref="IScheduler.Schedule"/> would admit after them, reserving their pages.
        /// </summary>
        void AdmitAfterDecodes(World world, ReplicaRuntime replica, double nowS, SchedulerOutput output);
    }
}
