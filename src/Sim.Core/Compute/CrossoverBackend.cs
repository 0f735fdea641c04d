using System;
using Sim.Core.Kv;
using Sim.Core.Tokens;
using Sim.Core.Tokens.Policies;

namespace Sim.Core.Compute
{
    /// <summary>
    /// <c>--backend auto</c> where a device is worth opening: each kernel call runs on the device when its size is at or past that
    /// kernel's crossover and on the CPU below it. Both give the same bits (parity-tested), so the split changes the
    /// wall time and never the outputs.
    /// </summary>
    public sealed class CrossoverBackend : IComputeBackend, IDisposable
    {
        readonly IComputeBackend _device;
        readonly KernelCrossover _crossover;

        /// <param name="device">The device's backend; disposed with this one.</param>
        public CrossoverBackend(IComputeBackend device, KernelCrossover crossover)
        {
            _device = device;
            _crossover = crossover;
        }

        public string Name => "auto";

        IComputeBackend For(int size, int crossover) => size >= crossover ? _device : CpuBackend.Instance;

        /// <summary>
        /// Where the MoE gate's step over every replica runs (<see cref="Experts.StepGate"/>): on the device's resident
        /// families when a step's logits (<paramref name="logitsPerStep"/>, at most) reach the gate's crossover, else on the CPU reference.
        /// </summary>
        public IResidentKernels GateKernels(long logitsPerStep) =>
            logitsPerStep >= _crossover.GateLogits && _device is IResidentBackend resident ? resident.Resident : new CpuResidentKernels();

        public void ScoreEviction(EvictionPolicy policy, ReadOnlySpan<BlockUsage> blocks, double inflationScore, Span<double> scores) =>
            For(blocks.Length, _crossover.EvictionBlocks).ScoreEviction(policy, blocks, inflationScore, scores);

        /// <summary>Token keys stream their columns as eviction scores stream blocks: the same crossover.</summary>
        public void TokenKeys(CompressionPolicy policy, in TokenKeyArguments arguments, ReadOnlySpan<int> positions, ReadOnlySpan<float> scores,
            ReadOnlySpan<int> lastImportantSteps, ReadOnlySpan<int> maxRecurrenceIntervals, Span<float> keys) =>
            For(positions.Length, _crossover.EvictionBlocks).TokenKeys(policy, arguments, positions, scores, lastImportantSteps, maxRecurrenceIntervals, keys);

        public void AttentionProbabilities(ReadOnlySpan<float> keys, int count, ReadOnlySpan<float> query, float recencyDecayPerToken, Span<float> probabilities) =>
            For(count, _crossover.AttentionPositions).AttentionProbabilities(keys, count, query, recencyDecayPerToken, probabilities);

        public void GateTopK(ReadOnlySpan<float> logits, int tokens, int experts, int topK, Span<int> chosenExperts, Span<int> expertLoad) =>
            For(tokens * experts, _crossover.GateLogits).GateTopK(logits, tokens, experts, topK, chosenExperts, expertLoad);

        public void SelectLowest(ReadOnlySpan<float> keys, Span<int> lowest) =>
            For(keys.Length, _crossover.SelectKeys).SelectLowest(keys, lowest);

        public int BestReplica(ReadOnlySpan<ReplicaScore> replicas) =>
            For(replicas.Length, _crossover.RouteReplicas).BestReplica(replicas);

        public void Dispose() => (_device as IDisposable)?.Dispose();
    }
}
