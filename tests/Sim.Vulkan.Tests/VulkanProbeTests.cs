using NUnit.Framework;

namespace Sim.Vulkan.Tests
{
    public class VulkanProbeTests
    {
        [Test]
        public void ProbeFindsANamedDevice()
        {
            VulkanAvailability availability = DeviceRequirement.Require();
            Assert.That(availability.Devices, Is.Not.Empty);
            foreach (VulkanDeviceInfo device in availability.Devices)
            {
                Assert.That(device.Name, Is.Not.Empty);
                Assert.That(availability.Reason, Does.Contain(device.Name));
            }
            TestContext.Out.WriteLine(availability.Reason);
        }

        [Test]
        public void ContextOpensTheDevicePreferredAmongThoseProbed()
        {
            VulkanAvailability availability = DeviceRequirement.Require();
            using VulkanContext context = VulkanContext.Create(validationIfPresent: true);
            var kinds = new VulkanDeviceKind[availability.Devices.Count];
            for (int i = 0; i < kinds.Length; i++)
                kinds[i] = availability.Devices[i].Kind;
            // In practice every device lavapipe or a GPU driver exposes has a compute queue, so the context's pick is the
            // preferred one over all probed devices.
            Assert.That(context.DeviceInfo.Name, Is.EqualTo(availability.Devices[DevicePreference.Choose(kinds)].Name));
        }
    }
}
