using System;
using Sim.Core.Compute;
using Sim.Core.Kv;
using Sim.Core.Tokens;
using Sim.Core.Tokens.Policies;

namespace Sim.Core.Tests.Support
{
    /// <summary>
    /// The CPU kernels, offering the CPU resident reference as a device backend offers its resident families: runs take the
    /// device's paths (token mode's step attention, the prefix caches' victims from the resident block family) on the CPU.
    /// </summary>
    internal sealed class ResidentCpuBackend : IComputeBackend, IResidentBackend
    {
        public string Name => "cpu-resident";
        public IResidentKernels Resident { get; } = new CpuResidentKernels();
        public void ScoreEviction(EvictionPolicy policy, ReadOnlySpan<BlockUsage> blocks, double inflationScore, Span<double> scores) => CpuBackend.Instance.ScoreEviction(policy, blocks, inflationScore, scores);
        public void AttentionProbabilities(ReadOnlySpan<float> keys, int count, ReadOnlySpan<float> query, float recencyDecayPerToken, Span<float> probabilities) =>
            throw new InvalidOperationException("per-call attention on a backend with resident kernels");
        public void GateTopK(ReadOnlySpan<float> logits, int tokens, int experts, int topK, Span<int> chosenExperts, Span<int> expertLoad) => CpuBackend.Instance.GateTopK(logits, tokens, experts, topK, chosenExperts, expertLoad);
        public void SelectLowest(ReadOnlySpan<float> keys, Span<int> lowest) => CpuBackend.Instance.SelectLowest(keys, lowest);
        public int BestReplica(ReadOnlySpan<ReplicaScore> replicas) => CpuBackend.Instance.BestReplica(replicas);
        public void TokenKeys(CompressionPolicy policy, in TokenKeyArguments arguments, ReadOnlySpan<int> positions, ReadOnlySpan<float> scores,
            ReadOnlySpan<int> lastImportantSteps, ReadOnlySpan<int> maxRecurrenceIntervals, Span<float> keys) =>
            CpuBackend.Instance.TokenKeys(policy, arguments, positions, scores, lastImportantSteps, maxRecurrenceIntervals, keys);
    }
}
