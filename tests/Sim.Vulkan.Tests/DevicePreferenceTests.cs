using NUnit.Framework;
using static Sim.Vulkan.VulkanDeviceKind;

namespace Sim.Vulkan.Tests
{
    public class DevicePreferenceTests
    {
        [Test]
        public void DiscreteGpuBeatsIntegratedBeatsCpu()
        {
            Assert.That(DevicePreference.Choose(new[] { Cpu, IntegratedGpu, DiscreteGpu }), Is.EqualTo(2));
            Assert.That(DevicePreference.Choose(new[] { Cpu, IntegratedGpu }), Is.EqualTo(1));
            Assert.That(DevicePreference.Choose(new[] { Cpu, VirtualGpu }), Is.EqualTo(1));
            Assert.That(DevicePreference.Choose(new[] { Cpu, Other }), Is.EqualTo(1));
        }

        [Test]
        public void TiesGoToTheEarlierDevice()
        {
            Assert.That(DevicePreference.Choose(new[] { Cpu, DiscreteGpu, DiscreteGpu }), Is.EqualTo(1));
            Assert.That(DevicePreference.Choose(new[] { Cpu, Cpu }), Is.EqualTo(0));
        }

        [Test]
        public void NoDeviceGivesMinusOne()
        {
            Assert.That(DevicePreference.Choose(new VulkanDeviceKind[0]), Is.EqualTo(-1));
        }
    }
}
