using System;
using NUnit.Framework;

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
    }
}
