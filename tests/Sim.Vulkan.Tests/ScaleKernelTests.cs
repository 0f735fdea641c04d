using System;
using NUnit.Framework;

namespace Sim.Vulkan.Tests
{
    public class ScaleKernelTests
    {
        static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

        // Small integers and a = -2.5: every a*x+y is a multiple of 0.5 below 2^12 in magnitude, so float
        // arithmetic is exact on any device (with or without fused multiply-add) and equality is the right check.
        const float A = -2.5f;
        static float X(int i) => i % 1001 - 500;
        static float Y(int i) => i % 37;

        [TestCase(1_000)]
        [TestCase(100_000)]
        [TestCase(5_000_000, Description = "78,125 workgroups: more than lavapipe's 65,535 along x, so the dispatch wraps into y")]
        public void ScaleMatchesTheCpu(int count)
        {
            DeviceRequirement.Require();
            // The last workgroup is partial (1,000 = 15 * 64 + 40); the 64 extra elements of y past count must
            // survive, which they would not without the shader's bounds check.
            int length = count + ScaleKernel.LocalSize;
            var x = new float[length];
            var y = new float[length];
            var expected = new float[length];
            for (int i = 0; i < length; i++)
            {
                x[i] = X(i);
                y[i] = Y(i);
                expected[i] = i < count ? A * x[i] + y[i] : y[i];
            }

            using VulkanContext context = VulkanContext.Create(validationIfPresent: true);
            using var xBuffer = new ComputeBuffer(context, length);
            using var yBuffer = new ComputeBuffer(context, length);
            using var kernel = new ScaleKernel(context);
            xBuffer.Write<float>(x);
            yBuffer.Write<float>(y);
            kernel.Run(xBuffer, yBuffer, A, count, Timeout);

            Assert.That(yBuffer.Read<float>(), Is.EqualTo(expected));
            Assert.That(xBuffer.Read<float>(), Is.EqualTo(x), "x is read-only in the shader");
        }

        [Test]
        public void RunningTwiceAppliesTheUpdateTwice()
        {
            DeviceRequirement.Require();
            const int count = 300;
            var x = new float[count];
            var expected = new float[count];
            for (int i = 0; i < count; i++)
            {
                x[i] = X(i);
                expected[i] = 2 * A * x[i] + Y(i);
            }
            var y = new float[count];
            for (int i = 0; i < count; i++)
                y[i] = Y(i);

            using VulkanContext context = VulkanContext.Create(validationIfPresent: true);
            using var xBuffer = new ComputeBuffer(context, count);
            using var yBuffer = new ComputeBuffer(context, count);
            using var kernel = new ScaleKernel(context);
            xBuffer.Write<float>(x);
            yBuffer.Write<float>(y);
            kernel.Run(xBuffer, yBuffer, A, count, Timeout);
            kernel.Run(xBuffer, yBuffer, A, count, Timeout);

            Assert.That(yBuffer.Read<float>(), Is.EqualTo(expected));
        }

        [Test]
        public void CountBeyondTheBuffersIsRejected()
        {
            DeviceRequirement.Require();
            using VulkanContext context = VulkanContext.Create(validationIfPresent: true);
            using var xBuffer = new ComputeBuffer(context, 10);
            using var yBuffer = new ComputeBuffer(context, 20);
            using var kernel = new ScaleKernel(context);
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => kernel.Run(xBuffer, yBuffer, A, 11, Timeout));
            Assert.That(e!.Message, Does.Contain("1..10"));
        }
    }
}
