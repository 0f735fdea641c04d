using Sim.Core.Components;

namespace Sim.Core.Policies.Orders
{
    /// <summary>Fewest prompt tokens still to compute first (output lengths are unknown to a real scheduler).</summary>
    public sealed class ShortestPromptFirstKey : IAdmissionKey
    {
        public string Name => "shortest-prompt-first";

        public bool KeepsQueueOrder => false;

        public long Key(in RequestRow request) => request.Uncomputed;
    }
}
