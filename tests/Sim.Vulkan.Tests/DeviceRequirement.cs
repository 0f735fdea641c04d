using System;
using NUnit.Framework;

namespace Sim.Vulkan.Tests
{
    /// <summary>
    /// Gate for tests that need a Vulkan device: a developer machine without one skips them, but CI installs
    /// lavapipe, so there (CI=true) a missing device is a broken environment and fails the test.
    /// </summary>
    static class DeviceRequirement
    {
        public static VulkanAvailability Require()
        {
            VulkanAvailability availability = VulkanProbe.Probe();
            if (availability.IsAvailable)
                return availability;
            string message = "no Vulkan device: " + availability.Reason;
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                Assert.Fail(message);
            else
                Assert.Ignore(message);
            return availability;
        }
    }
}
