using Sim.Core.Components;

namespace Sim.Core.Policies.Orders
{
    /// <summary>
    /// One admission order (<c>scheduler.order</c>): its scene name and the key that ranks waiting requests not preempted
    /// and not starved, the lowest admitted first (ties in arrival order). Each order is one file and one row of
    /// <see cref="AdmissionOrders"/>.
    /// </summary>
    public interface IAdmissionKey
    {
        string Name { get; }

        /// <summary>Whether the queue's own order is the order (first-come first-served): no key is read, no queue scanned.</summary>
        bool KeepsQueueOrder { get; }

        long Key(in RequestRow request);
    }
}
