using System;
using CsCheck;
using NUnit.Framework;
using Sim.Core.Compute;

namespace Sim.Vulkan.Tests
{
    /// <summary>The selection shader against the CPU kernel: the same indices in the same order, ties included.</summary>
    public class SelectKernelTests
    {
        [Test]
        public void RandomKeysWithTiesSelectAsTheCpuDoes()
        {
            DeviceRequirement.Require();
            using VulkanContext context = VulkanContext.Create(validationIfPresent: true);
            using var gpu = new SelectKernel(context, TimeSpan.FromSeconds(60));
            Gen.Select(Gen.Int[1, 3000], Gen.Int[1, 3000], Gen.Int[0, 1_000_000]).Sample((count, kWanted, seed) =>
            {
                int k = Math.Min(kWanted, count);
                var random = new Random(seed);
                var keys = new float[count];
                for (int i = 0; i < count; i++) keys[i] = random.Next(50) * 0.25f;
                int[] cpu = new int[k], device = new int[k];
                CpuBackend.Instance.SelectLowest(keys, cpu);
                gpu.SelectLowest(keys, device);
                Assert.That(device, Is.EqualTo(cpu));
            }, iter: 30, threads: 1); // one device queue: dispatches must not overlap
        }

        [TestCase(1, 1)]
        [TestCase(1_000_000, 1_000, Description = "2^20 wide network, keys with ties, the lowest ones spread out")]
        [TestCase(1_000_000, 1_000_000, Description = "everything: the whole sort comes back")]
        public void LargeSelectionsMatchTheCpu(int count, int k)
        {
            DeviceRequirement.Require();
            using VulkanContext context = VulkanContext.Create(validationIfPresent: true);
            using var gpu = new SelectKernel(context, TimeSpan.FromSeconds(120));
            var random = new Random(count);
            var keys = new float[count];
            for (int i = 0; i < count; i++) keys[i] = random.Next(100_000) * 0.5f - 1000f;
            int[] cpu = new int[k], device = new int[k];
            CpuBackend.Instance.SelectLowest(keys, cpu);
            gpu.SelectLowest(keys, device);
            Assert.That(device, Is.EqualTo(cpu));
        }

        [Test]
        public void SignedZerosTieAndInfinitiesOrderAsOnTheCpu()
        {
            DeviceRequirement.Require();
            using VulkanContext context = VulkanContext.Create(validationIfPresent: true);
            using var gpu = new SelectKernel(context, TimeSpan.FromSeconds(60));
            float[] keys = { 0f, -0f, float.PositiveInfinity, -1e-30f, float.NegativeInfinity, -0f, 3f, float.MaxValue, -float.MaxValue, 1e-45f };
            // Worked by hand: -inf (4), -max (8), -1e-30 (3), then the three zeros by index (0, 1, 5), 1e-45 (9), 3 (6), max (7), +inf (2).
            int[] expected = { 4, 8, 3, 0, 1, 5, 9, 6, 7, 2 };
            var device = new int[keys.Length];
            var cpu = new int[keys.Length];
            gpu.SelectLowest(keys, device);
            CpuBackend.Instance.SelectLowest(keys, cpu);
            Assert.That(cpu, Is.EqualTo(expected));
            Assert.That(device, Is.EqualTo(expected));
        }
    }
}
