using System;
using System.Collections.Generic;
using Sim.Core.Compute;
using Sim.Core.Kv;
using Sim.Core.Tokens;
using Sim.Core.Tokens.Policies;

namespace Sim.Core.Tests.Support
{
    /// <summary>The CPU's kernels, with the size of each eviction-scoring call written down.</summary>
    internal sealed class ScoringCalls : IComputeBackend
    {
        public readonly List<int> Blocks = new List<int>();

        public string Name => "cpu";

        public void ScoreEviction(EvictionPolicy policy, ReadOnlySpan<BlockUsage> blocks, double inflationScore, Span<double> scores)
        {
            Blocks.Add(blocks.Length);
            CpuBackend.Instance.ScoreEviction(policy, blocks, inflationScore, scores);
        }

        public void AttentionProbabilities(ReadOnlySpan<float> keys, int count, ReadOnlySpan<float> query, float recencyDecayPerToken, Span<float> probabilities) =>
            CpuBackend.Instance.AttentionProbabilities(keys, count, query, recencyDecayPerToken, probabilities);

        public void GateTopK(ReadOnlySpan<float> logits, int tokens, int experts, int topK, Span<int> chosenExperts, Span<int> expertLoad) =>
            CpuBackend.Instance.GateTopK(logits, tokens, experts, topK, chosenExperts, expertLoad);

        public void TokenKeys(CompressionPolicy policy, in TokenKeyArguments arguments, ReadOnlySpan<int> positions, ReadOnlySpan<float> scores,
            ReadOnlySpan<int> lastImportantSteps, ReadOnlySpan<int> maxRecurrenceIntervals, Span<float> keys) =>
            CpuBackend.Instance.TokenKeys(policy, arguments, positions, scores, lastImportantSteps, maxRecurrenceIntervals, keys);

        public void SelectLowest(ReadOnlySpan<float> keys, Span<int> lowest) => CpuBackend.Instance.SelectLowest(keys, lowest);

        public int BestReplica(ReadOnlySpan<ReplicaScore> replicas) => CpuBackend.Instance.BestReplica(replicas);
    }
}
