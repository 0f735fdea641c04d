using System;
using System.Collections.Generic;
using NUnit.Framework;
using Sim.Core.Compute;
using Sim.Core.Kv;
using Sim.Core.Tokens;
using Sim.Core.Tokens.Policies;

namespace Sim.Core.Tests.Compute
{
    public class CrossoverBackendTests
    {
        /// <summary>Records which kernels reached it, and computes them as the CPU does.</summary>
        sealed class RecordingDevice : IComputeBackend
        {
            public readonly List<string> Calls = new List<string>();

            public string Name => "device";

            public void ScoreEviction(EvictionPolicy policy, ReadOnlySpan<BlockUsage> blocks, double inflationScore, Span<double> scores)
            {
                Calls.Add("evict " + blocks.Length);
                CpuBackend.Instance.ScoreEviction(policy, blocks, inflationScore, scores);
            }

            public void AttentionProbabilities(ReadOnlySpan<float> keys, int count, ReadOnlySpan<float> query, float recencyDecayPerToken, Span<float> probabilities)
            {
                Calls.Add("attention " + count);
                CpuBackend.Instance.AttentionProbabilities(keys, count, query, recencyDecayPerToken, probabilities);
            }

            public void GateTopK(ReadOnlySpan<float> logits, int tokens, int experts, int topK, Span<int> chosenExperts, Span<int> expertLoad)
            {
                Calls.Add("gate " + tokens * experts);
                CpuBackend.Instance.GateTopK(logits, tokens, experts, topK, chosenExperts, expertLoad);
            }

            public void TokenKeys(CompressionPolicy policy, in TokenKeyArguments arguments, ReadOnlySpan<int> positions, ReadOnlySpan<float> scores,
                ReadOnlySpan<int> lastImportantSteps, ReadOnlySpan<int> maxRecurrenceIntervals, Span<float> keys)
            {
                Calls.Add("tokens " + positions.Length);
                CpuBackend.Instance.TokenKeys(policy, arguments, positions, scores, lastImportantSteps, maxRecurrenceIntervals, keys);
            }

            public void SelectLowest(ReadOnlySpan<float> keys, Span<int> lowest)
            {
                Calls.Add("select " + keys.Length);
                CpuBackend.Instance.SelectLowest(keys, lowest);
            }

            public int BestReplica(ReadOnlySpan<ReplicaScore> replicas)
            {
                Calls.Add("route " + replicas.Length);
                return CpuBackend.Instance.BestReplica(replicas);
            }
        }

        [Test]
        public void CallsAtOrPastTheirKernelsCrossoverGoToTheDeviceAndTheRestStayOnTheCpu()
        {
            var device = new RecordingDevice();
            var auto = new CrossoverBackend(device, new KernelCrossover(evictionBlocks: 10, attentionPositions: 20, gateLogits: 16, selectKeys: 5, routeReplicas: KernelCrossover.Never));
            auto.ScoreEviction(EvictionPolicy.Lru, new BlockUsage[9], 0, new double[9]);
            auto.ScoreEviction(EvictionPolicy.Lru, new BlockUsage[10], 0, new double[10]);
            // Token keys share the eviction scores' crossover.
            auto.TokenKeys(CompressionPolicy.H2o, default, new int[9], new float[9], new int[9], new int[9], new float[9]);
            auto.TokenKeys(CompressionPolicy.H2o, default, new int[10], new float[10], new int[10], new int[10], new float[10]);
            auto.AttentionProbabilities(new float[19 * 8], 19, new float[8], 0, new float[19]);
            auto.AttentionProbabilities(new float[20 * 8], 20, new float[8], 0, new float[20]);
            auto.GateTopK(new float[2 * 7], 2, 7, 1, new int[2], new int[7]);   // 14 logits
            auto.GateTopK(new float[2 * 8], 2, 8, 1, new int[2], new int[8]);   // 16
            auto.SelectLowest(new float[4], new int[1]);
            auto.SelectLowest(new float[6], new int[1]);
            auto.BestReplica(new ReplicaScore[1000]);
            Assert.That(device.Calls, Is.EqualTo(new[] { "evict 10", "tokens 10", "attention 20", "gate 16", "select 6" }));
        }

        /// <summary>A device with per-call kernels and resident families (the CPU's standing in for both).</summary>
        sealed class ResidentDevice : IComputeBackend, IResidentBackend
        {
            public IResidentKernels Resident { get; } = new CpuResidentKernels();

            public string Name => "device";

            public void ScoreEviction(EvictionPolicy policy, ReadOnlySpan<BlockUsage> blocks, double inflationScore, Span<double> scores) =>
                CpuBackend.Instance.ScoreEviction(policy, blocks, inflationScore, scores);

            public void TokenKeys(CompressionPolicy policy, in TokenKeyArguments arguments, ReadOnlySpan<int> positions, ReadOnlySpan<float> scores,
                ReadOnlySpan<int> lastImportantSteps, ReadOnlySpan<int> maxRecurrenceIntervals, Span<float> keys) =>
                CpuBackend.Instance.TokenKeys(policy, arguments, positions, scores, lastImportantSteps, maxRecurrenceIntervals, keys);

            public void AttentionProbabilities(ReadOnlySpan<float> keys, int count, ReadOnlySpan<float> query, float recencyDecayPerToken, Span<float> probabilities) =>
                CpuBackend.Instance.AttentionProbabilities(keys, count, query, recencyDecayPerToken, probabilities);

            public void GateTopK(ReadOnlySpan<float> logits, int tokens, int experts, int topK, Span<int> chosenExperts, Span<int> expertLoad) =>
                CpuBackend.Instance.GateTopK(logits, tokens, experts, topK, chosenExperts, expertLoad);

            public void SelectLowest(ReadOnlySpan<float> keys, Span<int> lowest) => CpuBackend.Instance.SelectLowest(keys, lowest);

            public int BestReplica(ReadOnlySpan<ReplicaScore> replicas) => CpuBackend.Instance.BestReplica(replicas);
        }

        [Test]
        public void TheGatesStepGoesToTheDevicesResidentFamiliesAtOrPastTheGateCrossover()
        {
            var crossover = new KernelCrossover(evictionBlocks: 10, attentionPositions: 20, gateLogits: 16, selectKeys: 5, routeReplicas: KernelCrossover.Never);
            var device = new ResidentDevice();
            var auto = new CrossoverBackend(device, crossover);
            Assert.That(auto.GateKernels(16), Is.SameAs(device.Resident));
            Assert.That(auto.GateKernels(15), Is.Not.SameAs(device.Resident).And.InstanceOf<CpuResidentKernels>());
            // A device without resident families: the CPU reference whatever the size.
            Assert.That(new CrossoverBackend(new RecordingDevice(), crossover).GateKernels(1L << 40), Is.InstanceOf<CpuResidentKernels>());
        }

        [Test]
        public void TheCpuOnlyCrossoverSendsNothingAndSaysSo()
        {
            Assert.That(KernelCrossover.CpuOnly.IsCpuOnly, Is.True);
            Assert.That(KernelCrossover.DiscreteGpu.IsCpuOnly, Is.False);
            var device = new RecordingDevice();
            var auto = new CrossoverBackend(device, KernelCrossover.CpuOnly);
            auto.SelectLowest(new float[1_000_000], new int[10]);
            Assert.That(device.Calls, Is.Empty);
        }
    }
}
