using System;

namespace Sim.Core.Compute
{
    /// <summary>The CPU reference of <see cref="IResidentGate"/>: <see cref="CpuBackend.GateTopK"/> over each run of a segment's tokens.</summary>
    public sealed class CpuResidentGate : IResidentGate
    {
        readonly int _maxTokens, _maxSegments, _experts, _topK;
        readonly int[] _chosen;
        int _tokens;

        public CpuResidentGate(int maxTokens, int maxSegments, int experts, int topK)
        {
            if (maxTokens <= 0 || maxSegments <= 0 || topK <= 0 || topK > experts)
                throw new ArgumentOutOfRangeException(nameof(maxTokens), "a gate of " + maxTokens + " tokens in " + maxSegments + " segments, top-" + topK + " of " + experts + " experts");
            _maxTokens = maxTokens;
            _maxSegments = maxSegments;
            _experts = experts;
            _topK = topK;
            _chosen = new int[maxTokens * topK];
        }

        public void Step(ReadOnlySpan<float> logits, ReadOnlySpan<int> segmentOfToken, int tokens, int segments, Span<int> segmentLoads, Span<int> chosenExperts)
        {
            ResidentGateChecks.Step(tokens, segments, _maxTokens, _maxSegments, _experts, _topK, logits, segmentOfToken, segmentLoads, chosenExperts);
            segmentLoads.Slice(0, segments * _experts).Clear();
            // Consecutive tokens of one segment are one kernel call (a segment's tokens are usually together).
            for (int first = 0, end; first < tokens; first = end)
            {
                int segment = segmentOfToken[first];
                for (end = first + 1; end < tokens && segmentOfToken[end] == segment; end++)
                {
                }
                CpuBackend.Instance.GateTopK(logits.Slice(first * _experts, (end - first) * _experts), end - first, _experts, _topK,
                    _chosen.AsSpan(first * _topK, (end - first) * _topK), segmentLoads.Slice(segment * _experts, _experts));
            }
            _tokens = tokens;
            if (!chosenExperts.IsEmpty) ReadChosen(chosenExperts);
        }

        public void ReadChosen(Span<int> chosenExperts) => _chosen.AsSpan(0, _tokens * _topK).CopyTo(chosenExperts);

        public void Dispose()
        {
        }
    }
}
