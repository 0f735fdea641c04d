using Silk.NET.Core.Native;
using Silk.NET.Vulkan;

namespace Sim.Vulkan
{
    /// <summary>Queries on physical devices shared by the probe and the compute context.</summary>
    internal static unsafe class PhysicalDevices
    {
        public static VulkanDeviceInfo Describe(Vk vk, PhysicalDevice device)
        {
            vk.GetPhysicalDeviceProperties(device, out PhysicalDeviceProperties properties);
            string name = SilkMarshal.PtrToString((nint)properties.DeviceName) ?? "";
            return new VulkanDeviceInfo(name, (VulkanDeviceKind)properties.DeviceType);
        }

        /// <summary>Index of the first queue family that supports compute, or -1.</summary>
        public static int FindComputeQueueFamily(Vk vk, PhysicalDevice device)
        {
            uint count = 0;
            vk.GetPhysicalDeviceQueueFamilyProperties(device, &count, null);
            var families = new QueueFamilyProperties[count];
            fixed (QueueFamilyProperties* p = families)
                vk.GetPhysicalDeviceQueueFamilyProperties(device, &count, p);
            for (int i = 0; i < count; i++)
            {
                if ((families[i].QueueFlags & QueueFlags.ComputeBit) != 0 && families[i].QueueCount > 0)
                    return i;
            }
            return -1;
        }
    }
}
