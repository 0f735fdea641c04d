using System;
using CsCheck;
using NUnit.Framework;
using Sim.Core.Compute;

namespace Sim.Vulkan.Tests
{
    /// <summary>The gate shader against the CPU reference kernel: the same picks, in the same order, and the same loads.</summary>
    public class GateKernelTests
    {
        static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

        static void AssertParity(GateKernel gpu, float[] logits, int tokens, int experts, int topK)
        {
            var cpuChosen = new int[tokens * topK];
            var gpuChosen = new int[tokens * topK];
            var cpuLoad = new int[experts];
            var gpuLoad = new int[experts];
            for (int e = 0; e < experts; e++) cpuLoad[e] = gpuLoad[e] = e; // loads are added to, not overwritten
            CpuBackend.Instance.GateTopK(logits, tokens, experts, topK, cpuChosen, cpuLoad);
            gpu.GateTopK(logits, tokens, experts, topK, gpuChosen, gpuLoad);
            Assert.That(gpuChosen, Is.EqualTo(cpuChosen));
            Assert.That(gpuLoad, Is.EqualTo(cpuLoad));
        }

        [Test]
        public void RandomRowsWithTiesPickAsTheCpuDoes()
        {
            DeviceRequirement.Require();
            using VulkanContext context = VulkanContext.Create(validationIfPresent: true);
            using var gpu = new GateKernel(context, Timeout);
            // Logits from a handful of values, so ties (broken by the lower index) are common.
            Gen.Select(Gen.Int[1, 300], Gen.Int[1, 256], Gen.Int[1, 8], Gen.Int[0, 1_000_000]).Sample((tokens, experts, topKWanted, seed) =>
            {
                int topK = Math.Min(topKWanted, experts);
                var random = new Random(seed);
                var logits = new float[tokens * experts];
                for (int i = 0; i < logits.Length; i++) logits[i] = random.Next(5) * 0.5f - 1;
                AssertParity(gpu, logits, tokens, experts, topK);
            }, iter: 40, threads: 1); // one device queue: dispatches must not overlap
        }

        [TestCase(1)]
        [TestCase(1_000)]
        [TestCase(1_000_000)]
        public void LargeBatchesMatchToo(int tokens)
        {
            DeviceRequirement.Require();
            using VulkanContext context = VulkanContext.Create(validationIfPresent: true);
            using var gpu = new GateKernel(context, Timeout);
            var random = new Random(tokens);
            var logits = new float[tokens * 8];
            for (int i = 0; i < logits.Length; i++) logits[i] = (float)random.NextDouble();
            AssertParity(gpu, logits, tokens, 8, 2);
        }
    }
}
