using System;
using System.Collections.Generic;

namespace Sim.Vulkan
{
    /// <summary>Whether this machine can run Vulkan compute, and on which devices.</summary>
    public sealed class VulkanAvailability
    {
        VulkanAvailability(IReadOnlyList<VulkanDeviceInfo> devices, string reason)
        {
            Devices = devices;
            Reason = reason;
        }

        /// <summary>True when the loader created an instance and found at least one physical device.</summary>
        public bool IsAvailable => Devices.Count > 0;

        /// <summary>Physical devices in the loader's enumeration order; empty when unavailable.</summary>
        public IReadOnlyList<VulkanDeviceInfo> Devices { get; }

        /// <summary>One line: the devices found, or why none could be used.</summary>
        public string Reason { get; }

        internal static VulkanAvailability Found(IReadOnlyList<VulkanDeviceInfo> devices) =>
            devices.Count == 0
                ? NotAvailable("the Vulkan loader found no physical devices (install mesa-vulkan-drivers for lavapipe)")
                : new VulkanAvailability(devices, "found " + string.Join(", ", devices));

        internal static VulkanAvailability NotAvailable(string reason) =>
            new VulkanAvailability(Array.Empty<VulkanDeviceInfo>(), reason);
    }
}
