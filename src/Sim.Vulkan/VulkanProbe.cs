using System.Collections.Generic;
using System.IO;
using Silk.NET.Vulkan;

namespace Sim.Vulkan
{
    /// <summary>Finds out, without throwing, whether Vulkan compute can run here.</summary>
    public static class VulkanProbe
    {
        /// <summary>
        /// Loads the Vulkan loader, creates an API 1.1 instance and lists the physical devices. A missing loader
        /// (libvulkan1 not installed), no driver, or no device gives an unavailable result with a one-line reason.
        /// </summary>
        public static VulkanAvailability Probe()
        {
            Vk vk;
            try
            {
                vk = VulkanLoader.Open();
            }
            catch (FileNotFoundException)
            {
                // Silk.NET reports a library it cannot dlopen this way.
                return VulkanAvailability.NotAvailable("the Vulkan loader (libvulkan.so.1) could not be loaded: install libvulkan1");
            }
            using (vk)
            {
                Instance instance;
                try
                {
                    instance = InstanceFactory.Create(vk, validationIfPresent: false, out _);
                }
                catch (VulkanException e) when (e.Result == Result.ErrorIncompatibleDriver)
                {
                    // The loader's answer when it found no installable client driver at all.
                    return VulkanAvailability.NotAvailable("the Vulkan loader found no driver (install mesa-vulkan-drivers for lavapipe)");
                }
                catch (VulkanException e)
                {
                    return VulkanAvailability.NotAvailable("no Vulkan 1.1 instance: " + e.Message);
                }
                try
                {
                    var devices = new List<VulkanDeviceInfo>();
                    foreach (PhysicalDevice device in vk.GetPhysicalDevices(instance))
                        devices.Add(PhysicalDevices.Describe(vk, device));
                    return VulkanAvailability.Found(devices);
                }
                finally
                {
                    unsafe { vk.DestroyInstance(instance, null); }
                }
            }
        }
    }
}
