using System;

namespace Sim.Core.Compute
{
    public partial interface IComputeBackend
    {
        /// <summary>
        /// One query's attention over one sequence's first <paramref name="count"/> positions: logit i is
        /// q·k_i − <paramref name="recencyDecayPerToken"/> × (count − 1 − i), and <paramref name="probabilities"/> gets the
        /// softmax. Keys are row-major, <see cref="Tokens.AttentionModel.KeyDim"/> floats a position.
        /// </summary>
        void AttentionProbabilities(ReadOnlySpan<float> keys, int count, ReadOnlySpan<float> query, float recencyDecayPerToken, Span<float> probabilities);
    }
}
