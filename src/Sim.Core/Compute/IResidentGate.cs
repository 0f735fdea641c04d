using System;

namespace Sim.Core.Compute
{
    /// <summary>
    /// The MoE gate as one step over all sampled tokens of all replicas. The tokens come in segments (a replica's sampled
    /// layer each, in the simulator): the scheduler takes each segment's expert loads, and the choices where it asks for them.
    /// </summary>
    public interface IResidentGate : IDisposable
    {
        /// <summary>
        /// Top-k of every token's logits (as <see cref="IComputeBackend.GateTopK"/>), the choices kept where the gate ran;
        /// token t's picks count in segment <paramref name="segmentOfToken"/>[t]'s loads: <paramref name="segmentLoads"/>
        /// gets <paramref name="segments"/> × experts counts, this step's only (overwritten, not added to). Where
        /// <paramref name="chosenExperts"/> is not empty the step's choices (tokens × topK, best first) come back with them.
        /// </summary>
        void Step(ReadOnlySpan<float> logits, ReadOnlySpan<int> segmentOfToken, int tokens, int segments, Span<int> segmentLoads, Span<int> chosenExperts);

        /// <summary>The last step's choices, tokens × topK (to check a run; a step brings them back itself when asked).</summary>
        void ReadChosen(Span<int> chosenExperts);
    }
}
