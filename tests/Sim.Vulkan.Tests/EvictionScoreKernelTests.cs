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
            DeviceRequirement.Require();
            using VulkanContext context = VulkanContext.Create(validationIfPresent: true);
            if (!context.HasFloat64) Assert.Ignore(context.DeviceInfo + " has no double-precision shaders");
            using var gpu = new EvictionScoreKernel(context, TimeSpan.FromSeconds(60));
            Gen.Select(Gen.Int[1, 5000], Gen.Int[0, 3], Gen.Double[0, 1e4], Gen.Int[0, 1_000_000]).Sample((count, policy, inflation, seed) =>
            {
                var random = new Random(seed);
                var blocks = new BlockUsage[count];
                for (int i = 0; i < count; i++)
                    blocks[i] = new BlockUsage { LastAccessS = random.NextDouble() * 1e5, CachedAtS = random.NextDouble() * 1e5, AccessCount = random.Next(1, 1000), ChainBlocks = random.Next(0, 300) };
                var cpu = new double[count];
                var device = new double[count];
                CpuBackend.Instance.ScoreEviction((EvictionPolicy)policy, blocks, inflation, cpu);
                gpu.ScoreEviction((EvictionPolicy)policy, blocks, inflation, device);
                Assert.That(device, Is.EqualTo(cpu));
            }, iter: 30, threads: 1); // one device queue: dispatches must not overlap
        }
    }
}
