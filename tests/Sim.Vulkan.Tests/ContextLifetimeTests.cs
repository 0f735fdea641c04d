using System;
using NUnit.Framework;
using Sim.Core.Compute;
using Sim.Core.Kv;

namespace Sim.Vulkan.Tests
{
    public class ContextLifetimeTests
    {
        /// <summary>
        /// One process opens and closes many contexts (a test run does): each must release what it created, and the loader
        /// must stay usable. An NVIDIA driver refused new instances after about twenty when the loader was reopened per context.
        /// </summary>
        [Test]
        public void SixtyFourContextsInARowEachRunWork()
        {
            DeviceRequirement.Require();
            for (int round = 0; round < 64; round++)
            {
                Assert.That(VulkanProbe.Probe().IsAvailable, Is.True, "probe in round " + round);
                using VulkanContext context = VulkanContext.Create(validationIfPresent: false);
                using var x = new ComputeBuffer(context, 256);
                using var y = new ComputeBuffer(context, 256);
                using var kernel = new ScaleKernel(context);
                var ones = new float[256];
                Array.Fill(ones, 1f);
                x.Write<float>(ones);
                y.Write<float>(ones);
                kernel.Run(x, y, round, 256, TimeSpan.FromSeconds(60));
                Assert.That(y.Read<float>(1)[0], Is.EqualTo(round + 1f), "round " + round);
            }
        }

        /// <summary>The resident kernels' own contexts, opened and closed as many times, each with every column family made, stepped and freed.</summary>
        [Test]
        public void ThirtyTwoResidentContextsInARowEachRunWork()
        {
            DeviceRequirement.Require();
            var timeout = TimeSpan.FromSeconds(60);
            try
            {
                VulkanResidentKernels.Create(timeout).Dispose();
            }
            catch (NotSupportedException e)
            {
                Assert.Ignore(e.Message);
            }
            for (int round = 0; round < 32; round++)
            {
                using VulkanResidentKernels kernels = VulkanResidentKernels.Create(timeout);
                using (IResidentAttention attention = kernels.Attention(4))
                {
                    var victims = new int[1];
                    attention.Step(new[] { new SequenceQuery { Count = 4, FreshSlot = round % 4 } }, victims);
                    Assert.That(victims[0], Is.EqualTo(round % 4 == 0 ? 1 : 0), "round " + round + ": equal scores, the lowest slot but the fresh one");
                }
                using (IResidentGate gate = kernels.Gate(1, 1, 2, 1))
                {
                    var load = new int[2];
                    gate.Step(new[] { 0f, 1f }, new int[1], 1, 1, load, default);
                    Assert.That(load, Is.EqualTo(new[] { 0, 1 }), "round " + round);
                }
                using (IResidentBlocks blocks = kernels.Blocks(3, EvictionPolicy.Lru))
                {
                    blocks.Write(0, new BlockUsage { LastAccessS = 2 }, 0, 0);
                    blocks.Write(1, new BlockUsage(), 1, 0);
                    blocks.Write(2, new BlockUsage(), 2, 0);
                    var lowest = new int[2];
                    var scores = new double[2];
                    blocks.Step(lowest, scores);
                    Assert.That(lowest, Is.EqualTo(new[] { 1, 2 }), "round " + round);
                    Assert.That(scores, Is.EqualTo(new[] { 0.0, 0.0 }), "round " + round);
                }
            }
        }
    }
}