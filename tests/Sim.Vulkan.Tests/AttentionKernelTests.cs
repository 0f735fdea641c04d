using System;
using CsCheck;
using NUnit.Framework;
using Sim.Core.Compute;
using Sim.Tests.Shared;

namespace Sim.Vulkan.Tests
{
    /// <summary>Attention on the device against the CPU kernel: the same softmax, bit for bit (both follow Sim.Core.Compute.Softmax).</summary>
    public class AttentionKernelTests
    {
        static void AssertParity(AttentionKernel gpu, int count, int seed, float decay)
        {
            var random = new Random(seed);
            var keys = new float[count * 8];
            for (int i = 0; i < keys.Length; i++) keys[i] = (float)(random.NextDouble() * 2 - 1) * (i % 8 == 0 && random.Next(20) == 0 ? 4 : 1);
            var query = new float[8];
            for (int j = 0; j < 8; j++) query[j] = (float)(random.NextDouble() * 2 - 1) + (j == 0 ? 1 : 0);
            var cpu = new float[count];
            var device = new float[count];
            CpuBackend.Instance.AttentionProbabilities(keys, count, query, decay, cpu);
            gpu.AttentionProbabilities(keys, count, query, decay, device);
            Assert.That(device, Is.EqualTo(cpu));
        }

        [TestCase(true)]
        [TestCase(false)]
        public void RandomSequencesMatchTheCpuSoftmax(bool useSubgroups)
        {
            DeviceRequirement.Require();
            using VulkanContext context = VulkanContext.Create(validationIfPresent: true);
            if (!context.HasFloat64) Assert.Ignore(context.DeviceInfo + " has no double-precision shaders");
            using var gpu = new AttentionKernel(context, TimeSpan.FromSeconds(60), useSubgroups);
            if (useSubgroups && !gpu.UsesSubgroups) Assert.Ignore(context.DeviceInfo + " has no subgroup arithmetic");
            Gen.Select(Gen.Int[1, 3000], Gen.Int[0, 1_000_000], Gen.Float[0, 0.05f]).Sample((count, seed, decay) => AssertParity(gpu, count, seed, decay), iter: 30, threads: 1);
        }

        [TestCase(1, true)]
        [TestCase(65, true)]
        [TestCase(1_000_000, true)]
        [TestCase(1, false)]
        [TestCase(65, false)]
        [TestCase(1_000_000, false)]
        public void SizesFromOneToAMillion(int count, bool useSubgroups)
        {
            DeviceRequirement.Require();
            using VulkanContext context = VulkanContext.Create(validationIfPresent: true);
            if (!context.HasFloat64) Assert.Ignore(context.DeviceInfo + " has no double-precision shaders");
            using var gpu = new AttentionKernel(context, TimeSpan.FromSeconds(120), useSubgroups);
            if (useSubgroups && !gpu.UsesSubgroups) Assert.Ignore(context.DeviceInfo + " has no subgroup arithmetic");
            AssertParity(gpu, count, count, 0.001f);
        }

        /// <summary>
        /// Lavapipe keeps subnormals; devices such as NVIDIA's flush them. Inputs that make them at every step give the
        /// CPU's bits (which are a flushing device's, Sim.Core.Tests.Compute.SubnormalFlushTests) on this device too.
        /// </summary>
        [TestCase(true)]
        [TestCase(false)]
        public void SubnormalsAreFlushedAsTheCpuFlushesThem(bool useSubgroups)
        {
            DeviceRequirement.Require();
            using VulkanContext context = VulkanContext.Create(validationIfPresent: true);
            if (!context.HasFloat64) Assert.Ignore(context.DeviceInfo + " has no double-precision shaders");
            using var gpu = new AttentionKernel(context, TimeSpan.FromSeconds(60), useSubgroups);
            if (useSubgroups && !gpu.UsesSubgroups) Assert.Ignore(context.DeviceInfo + " has no subgroup arithmetic");
            var (keys, query, count) = SubnormalAttention.Case();
            foreach (float decay in new[] { 0f, 0.001f })
            {
                var cpu = new float[count];
                var device = new float[count];
                CpuBackend.Instance.AttentionProbabilities(keys, count, query, decay, cpu);
                gpu.AttentionProbabilities(keys, count, query, decay, device);
                Assert.That(device, Is.EqualTo(cpu));
                Assert.That(device, Is.EqualTo(SubnormalAttention.OnAFlushingDevice(keys, query, count, decay)));
            }
        }
    }
}
