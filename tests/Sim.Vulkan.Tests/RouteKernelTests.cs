using System;
using CsCheck;
using NUnit.Framework;
using Sim.Core.Compute;

namespace Sim.Vulkan.Tests
{
    /// <summary>The routing shader against the CPU kernel: the same replica, ties included, from one candidate to a million.</summary>
    public class RouteKernelTests
    {
        /// <summary>Few distinct block counts and loads, so ties on both are common and the position must decide.</summary>
        static ReplicaScore[] RandomScores(int count, int seed)
        {
            var random = new Random(seed);
            var scores = new ReplicaScore[count];
            for (int i = 0; i < count; i++)
                scores[i] = new ReplicaScore { PrefixBlocks = random.Next(4), UncomputedTokens = random.Next(20) * 512.0 };
            return scores;
        }

        [Test]
        public void RandomClustersRouteAsTheCpuDoes()
        {
            DeviceRequirement.Require();
            using VulkanContext context = VulkanContext.Create(validationIfPresent: true);
            if (!context.HasFloat64) Assert.Ignore(context.DeviceInfo + " has no double-precision shaders");
            using var gpu = new RouteKernel(context, TimeSpan.FromSeconds(60));
            Gen.Select(Gen.Int[1, 5000], Gen.Int[0, 1_000_000]).Sample((count, seed) =>
            {
                ReplicaScore[] scores = RandomScores(count, seed);
                Assert.That(gpu.BestReplica(scores), Is.EqualTo(CpuBackend.Instance.BestReplica(scores)));
            }, iter: 40, threads: 1); // one device queue: dispatches must not overlap
        }

        [TestCase(1)]
        [TestCase(1_024)]
        [TestCase(1_025)]
        [TestCase(1_000_000)]
        public void SizesFromOneToAMillion(int count)
        {
            DeviceRequirement.Require();
            using VulkanContext context = VulkanContext.Create(validationIfPresent: true);
            if (!context.HasFloat64) Assert.Ignore(context.DeviceInfo + " has no double-precision shaders");
            using var gpu = new RouteKernel(context, TimeSpan.FromSeconds(120));
            ReplicaScore[] scores = RandomScores(count, count);
            int expected = CpuBackend.Instance.BestReplica(scores);
            Assert.That(gpu.BestReplica(scores), Is.EqualTo(expected));
            // A unique winner in the last position, which the second pass (past 1,024 candidates) must carry through.
            scores[count - 1] = new ReplicaScore { PrefixBlocks = 9, UncomputedTokens = 0 };
            Assert.That(gpu.BestReplica(scores), Is.EqualTo(count - 1));
        }
    }
}
