using System;
using CsCheck;
using NUnit.Framework;
using Sim.Core.Compute;
using Sim.Core.Kv;

namespace Sim.Vulkan.Tests
{
    /// <summary>Eviction scores on the device against the CPU kernel: doubles on both sides, so equal to the bit.</summary>
    public class EvictionScoreKernelTests
    {
        [Test]
        public void EveryPolicyScoresAsTheCpuDoes()
        {
            using VulkanContext context = OpenContext();
            using var gpu = new EvictionScoreKernel(context, TimeSpan.FromSeconds(60));
            Gen.Select(Gen.Int[1, 5000], Gen.Int[0, EvictionPolicies.Count - 1], Gen.Double[0, 1e4], Gen.Int[0, 1_000_000]).Sample(
                (count, policy, inflation, seed) => AssertParity(gpu, count, (EvictionPolicy)policy, inflation, seed),
                iter: 30, threads: 1); // one device queue: dispatches must not overlap
        }

        [TestCase(1)]
        [TestCase(1_000_000)]
        public void EveryPolicyAtTheEndsOfTheSizeRange(int count)
        {
            using VulkanContext context = OpenContext();
            using var gpu = new EvictionScoreKernel(context, TimeSpan.FromSeconds(60));
            // Every registered policy id, which is the shader's policy number.
            for (int id = 0; id < EvictionPolicies.Count; id++)
                AssertParity(gpu, count, (EvictionPolicy)id, 1234.5, count);
        }

        static VulkanContext OpenContext()
        {
            DeviceRequirement.Require();
            var context = VulkanContext.Create(validationIfPresent: true);
            if (context.HasFloat64) return context;
            context.Dispose();
            Assert.Ignore("the device has no double-precision shaders");
            return context;
        }

        static void AssertParity(EvictionScoreKernel gpu, int count, EvictionPolicy policy, double inflation, int seed)
        {
            var random = new Random(seed);
            var blocks = new BlockUsage[count];
            for (int i = 0; i < count; i++)
                blocks[i] = new BlockUsage { LastAccessS = random.NextDouble() * 1e5, CachedAtS = random.NextDouble() * 1e5, AccessCount = random.Next(1, 1000), ChainBlocks = random.Next(0, 300), PredictedReuse = random.Next(0, 2), NextUseRank = random.Next() };
            var cpu = new double[count];
            var device = new double[count];
            CpuBackend.Instance.ScoreEviction(policy, blocks, inflation, cpu);
            gpu.ScoreEviction(policy, blocks, inflation, device);
            Assert.That(device, Is.EqualTo(cpu), policy.ToString());
        }
    }
}
