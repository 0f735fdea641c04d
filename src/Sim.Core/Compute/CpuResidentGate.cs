using System;

namespace Sim.Core.Compute
{
    /// <summary>The CPU reference of <see cref="IResidentGate"/>: <see cref="CpuBackend.GateTopK"/> over the step's tokens.</summary>
    public sealed class CpuResidentGate : IResidentGate
    {
        readonly int _maxTokens, _experts, _topK;
        readonly int[] _chosen;
        int _tokens;

        public CpuResidentGate(int maxTokens, int experts, int topK)
        {
            if (maxTokens <= 0 || topK <= 0 || topK > experts)
                throw new ArgumentOutOfRangeException(nameof(maxTokens), "a gate of " + maxTokens + " tokens, top-" + topK + " of " + experts + " experts");
            _maxTokens = maxTokens;
            _experts = experts;
            _topK = topK;
            _chosen = new int[maxTokens * topK];
        }

        public void Step(ReadOnlySpan<float> logits, int tokens, Span<int> expertLoad)
        {
            if (tokens > _maxTokens) throw new ArgumentOutOfRangeException(nameof(tokens), tokens, "the gate holds " + _maxTokens + " tokens a step");
            expertLoad.Slice(0, _experts).Clear();
            CpuBackend.Instance.GateTopK(logits, tokens, _experts, _topK, _chosen, expertLoad);
            _tokens = tokens;
        }

        public void ReadChosen(Span<int> chosenExperts) => _chosen.AsSpan(0, _tokens * _topK).CopyTo(chosenExperts);

        public void Dispose()
        {
        }
    }
}
