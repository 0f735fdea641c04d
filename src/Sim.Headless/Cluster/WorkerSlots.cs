using System.Threading;

namespace Sim.Headless.Cluster
{
    /// <summary>The worker's points-at-once limit, shared by every point grain on the silo (several clients may send points).</summary>
    public sealed class WorkerSlots
    {
        public WorkerSlots(WorkerOptions options)
        {
            Gate = new SemaphoreSlim(options.Slots, options.Slots);
        }

        public SemaphoreSlim Gate { get; }
    }
}
