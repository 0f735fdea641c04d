using System;
using NUnit.Framework;

namespace Sim.Vulkan.Tests
{
    /// <summary>Writes at an offset reach the device and leave the rest of the buffer alone, mapped or staged.</summary>
    public class RangedWriteTests
    {
        [TestCase(false)]
        [TestCase(true)]
        public void OnlyTheWrittenRangesChange(bool staging)
        {
            DeviceRequirement.Require();
            using VulkanContext context = VulkanContext.Create(validationIfPresent: true, forceStaging: staging);
            using var buffer = new ComputeBuffer(context, 100, sizeof(int));
            var initial = new int[100];
            for (int i = 0; i < 100; i++) initial[i] = i;
            buffer.Write<int>(initial);
            buffer.WriteAt<int>(10, new[] { -1, -2, -3 });
            buffer.WriteAt<int>(13, new[] { -4 }); // adjacent: merged into the previous range
            buffer.WriteAt<int>(99, new[] { -5 });
            Assert.That(buffer.PendingUploadBytes, Is.EqualTo(staging ? 5UL * sizeof(int) : 0UL), "only the written elements travel");
            StepSubmission.End(context, StepSubmission.Begin(context, [buffer]), [(buffer, 0, 100)], TimeSpan.FromSeconds(60));
            Assert.That(buffer.PendingUploadBytes, Is.Zero);
            var read = new int[100];
            buffer.ReadAt<int>(0, read);
            var expected = (int[])initial.Clone();
            expected[10] = -1; expected[11] = -2; expected[12] = -3; expected[13] = -4; expected[99] = -5;
            Assert.That(read, Is.EqualTo(expected));
            // What the device holds, read through the whole-buffer path.
            Assert.That(buffer.Read<int>(), Is.EqualTo(expected));
        }
    }
}
