using System;

namespace Sim.Core.Compute
{
    /// <summary>The MoE gate as one step over all sampled tokens of all replicas; the scheduler takes each expert's load.</summary>
    public interface IResidentGate : IDisposable
    {
        /// <summary>
        /// Top-k of every token's logits (as <see cref="IComputeBackend.GateTopK"/>), the choices kept where the gate ran;
        /// <paramref name="expertLoad"/> gets each expert's count this step (overwritten, not added to).
        /// </summary>
        void Step(ReadOnlySpan<float> logits, int tokens, Span<int> expertLoad);

        /// <summary>The last step's choices, tokens × topK (to check a run; not needed by a step).</summary>
        void ReadChosen(Span<int> chosenExperts);
    }
}
