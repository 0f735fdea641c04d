using System;

namespace Sim.Core.Compute
{
    /// <summary>
    /// Token mode's attention over resident key and score columns, H2O's accumulated-attention eviction as one step
    /// (simplified: the fresh token is the only one protected, where H2O keeps a window of recent ones).
    /// </summary>
    public interface IResidentAttention : IDisposable
    {
        int Positions { get; }

        /// <summary>Sets the keys of positions from <paramref name="firstPosition"/> (KeyDim floats each); only these travel to the device.</summary>
        void WriteKeys(int firstPosition, ReadOnlySpan<float> keys);

        /// <summary>
        /// For every sequence: its query's attention probabilities over its positions (as
        /// <see cref="IComputeBackend.AttentionProbabilities"/>), each added to its position's score (the fresh slot's
        /// score restarting from 0), and into <paramref name="victims"/> the slot with the lowest score but the fresh one,
        /// ties to the lower slot: the token H2O evicts.
        /// </summary>
        void Step(ReadOnlySpan<SequenceQuery> sequences, Span<int> victims);

        /// <summary>
        /// For every query: its attention probabilities over its positions (as <see cref="IComputeBackend.AttentionProbabilities"/>
        /// over those keys), into <paramref name="probabilities"/> from its <see cref="AttentionQuery.OutputOffset"/>; the
        /// scores are untouched. One pass (one submission on a device), and the probabilities come back: token mode's
        /// measures (retained mass, output error) and policies read every one.
        /// </summary>
        void Probabilities(ReadOnlySpan<AttentionQuery> queries, Span<float> probabilities);

        /// <summary>The accumulated scores of every position (to check a run; not needed by a step).</summary>
        void ReadScores(Span<float> scores);
    }
}
