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
    }
}
