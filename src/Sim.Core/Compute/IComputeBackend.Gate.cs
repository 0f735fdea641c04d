using System;

namespace Sim.Core.Compute
{
    public partial interface IComputeBackend
    {
        /// <summary>
        /// MoE gating: for each of <paramref name="tokens"/> rows of <paramref name="logits"/> (row-major, one per expert),
        /// the <paramref name="topK"/> highest experts (ties to the lower index) into <paramref name="chosenExperts"/>
        /// (tokens × topK, best first), each adding 1 to <paramref name="expertLoad"/>.
        /// </summary>
        void GateTopK(ReadOnlySpan<float> logits, int tokens, int experts, int topK, Span<int> chosenExperts, Span<int> expertLoad);
    }
}
