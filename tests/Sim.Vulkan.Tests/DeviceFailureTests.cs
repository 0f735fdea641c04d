using System;
using NUnit.Framework;
using Silk.NET.Vulkan;

namespace Sim.Vulkan.Tests
{
    public class DeviceFailureTests
    {
        [Test]
        public void ALostDeviceGetsItsOwnExceptionNamingTheCall()
        {
            var e = Assert.Throws<VulkanDeviceLostException>(() => VulkanException.Check(Result.ErrorDeviceLost, "vkQueueSubmit"));
            Assert.That(e!.Message, Does.Contain("lost").And.Contain("vkQueueSubmit"));
            Assert.That(e.Result, Is.EqualTo(Result.ErrorDeviceLost));
        }

        [Test]
        public void OtherErrorsAreVulkanExceptionsWithTheirResult()
        {
            var e = Assert.Throws<VulkanException>(() => VulkanException.Check(Result.ErrorOutOfDeviceMemory, "vkAllocateMemory"));
            Assert.That(e, Is.Not.InstanceOf<VulkanDeviceLostException>());
            Assert.That(e!.Message, Is.EqualTo("vkAllocateMemory failed: ErrorOutOfDeviceMemory"));
            Assert.DoesNotThrow(() => VulkanException.Check(Result.Success, "vkCreateFence"));
        }

        [Test]
        public void AWaitPastItsTimeoutThrowsAndLeavesTheContextRefusingWork()
        {
            DeviceRequirement.Require();
            // 200 passes over 4 million elements move 9.6 GB: milliseconds even at 4.8 TB/s (an H200), about a second on
            // lavapipe; 100 ns cannot be met on any device, so the wait times out.
            const int count = 4_000_000;
            const int passes = 200;
            using VulkanContext context = VulkanContext.Create(validationIfPresent: true);
            using var x = new ComputeBuffer(context, count);
            using var y = new ComputeBuffer(context, count);
            using var kernel = new ScaleKernel(context);
            var timedOut = Assert.Throws<VulkanException>(() => kernel.Run(x, y, 2f, count, TimeSpan.FromTicks(1), passes));
            Assert.That(timedOut!.Result, Is.EqualTo(Result.Timeout));
            Assert.That(timedOut.Message, Does.Contain("did not finish within"));

            var refused = Assert.Throws<VulkanException>(() => kernel.Run(x, y, 2f, count, TimeSpan.FromSeconds(60)));
            Assert.That(refused!.Message, Does.Contain("cannot be used after an earlier failure"));
        }
    }
}
