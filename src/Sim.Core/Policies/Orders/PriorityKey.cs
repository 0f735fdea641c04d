using Sim.Core.Components;

namespace Sim.Core.Policies.Orders
{
    /// <summary>Lowest priority class first (from the trace, or the scene's rule).</summary>
    public sealed class PriorityKey : IAdmissionKey
    {
        public string Name => "priority";

        public bool KeepsQueueOrder => false;

        public long Key(in RequestRow request) => request.Info.Priority;
    }
}
