using System;
using NUnit.Framework;
using Sim.Core.Compute;
using Sim.Core.Kv;

namespace Sim.Vulkan.Tests
{
    /// <summary>
    /// The staging path discrete GPUs need (device-local buffers filled and read back by copies), forced on the
    /// test device: the kernels give the same results through it.
    /// </summary>
    public class StagingTests
    {
        static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

        [Test]
        public void KernelsRunTheSameThroughStagingCopies()
        {
            DeviceRequirement.Require();
            using VulkanContext context = VulkanContext.Create(validationIfPresent: true, forceStaging: true);
            Assert.That(context.UsesStaging, Is.True);

            // Scale: y = -2.5 x + y, exact in floats.
            const int count = 70_000;
            var x = new float[count];
            var y = new float[count];
            for (int i = 0; i < count; i++)
            {
                x[i] = i % 1001 - 500;
                y[i] = i % 37;
            }
            using (var xBuffer = new ComputeBuffer(context, count))
            using (var yBuffer = new ComputeBuffer(context, count))
            using (var scale = new ScaleKernel(context))
            {
                xBuffer.Write<float>(x);
                yBuffer.Write<float>(y);
                scale.Run(xBuffer, yBuffer, -2.5f, count, Timeout);
                float[] result = yBuffer.Read<float>();
                for (int i = 0; i < count; i++) Assert.That(result[i], Is.EqualTo(-2.5f * x[i] + y[i]), "element " + i);
            }

            // The gate and the eviction scores against their CPU references.
            var random = new Random(5);
            var logits = new float[3000 * 8];
            for (int i = 0; i < logits.Length; i++) logits[i] = random.Next(4);
            int[] cpuChosen = new int[6000], gpuChosen = new int[6000], cpuLoad = new int[8], gpuLoad = new int[8];
            CpuBackend.Instance.GateTopK(logits, 3000, 8, 2, cpuChosen, cpuLoad);
            using (var gate = new GateKernel(context, Timeout)) gate.GateTopK(logits, 3000, 8, 2, gpuChosen, gpuLoad);
            Assert.That((gpuChosen, gpuLoad), Is.EqualTo((cpuChosen, cpuLoad)));

            if (!context.HasFloat64) return;
            var blocks = new BlockUsage[1000];
            for (int i = 0; i < blocks.Length; i++) blocks[i] = new BlockUsage { LastAccessS = random.NextDouble(), CachedAtS = i, AccessCount = i % 9, ChainBlocks = 1 + i % 5 };
            double[] cpuScores = new double[1000], gpuScores = new double[1000];
            CpuBackend.Instance.ScoreEviction(EvictionPolicy.SizeAware, blocks, 0.25, cpuScores);
            using (var eviction = new EvictionScoreKernel(context, Timeout)) eviction.ScoreEviction(EvictionPolicy.SizeAware, blocks, 0.25, gpuScores);
            Assert.That(gpuScores, Is.EqualTo(cpuScores));
        }

        [Test]
        public void ABufferPastTheDevicesStorageRangeIsRefusedPlainly()
        {
            DeviceRequirement.Require();
            using VulkanContext context = VulkanContext.Create(validationIfPresent: true);
            ulong elements = context.MaxStorageBufferRange / 4 + 1;
            if (elements > int.MaxValue) Assert.Ignore("the device's storage range exceeds what one buffer here can ask for");
            var e = Assert.Throws<InvalidOperationException>(() => new ComputeBuffer(context, (int)elements));
            Assert.That(e!.Message, Does.Contain("one storage buffer may hold"));
        }
    }
}
