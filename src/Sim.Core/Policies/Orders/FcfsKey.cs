using Sim.Core.Components;

namespace Sim.Core.Policies.Orders
{
    /// <summary>First come, first served: the waiting queue as it is (preempted requests rejoin at its front).</summary>
    public sealed class FcfsKey : IAdmissionKey
    {
        public string Name => "fcfs";

        public bool KeepsQueueOrder => true;

        public long Key(in RequestRow request) => 0;
    }
}
