using System.IO;
using Silk.NET.Vulkan;

namespace Sim.Vulkan
{
    /// <summary>
    /// Opens the Vulkan API for a context or a probe while keeping the loader library loaded for the whole process.
    /// Each opener gets its own API object (Silk.NET caches entry points per instance and device, so one object must not
    /// outlive the instance it loaded them for) and disposes it; an anchor opened first and never disposed keeps the
    /// loader, and the drivers it loaded, from being unloaded and loaded again for every context. That churn made an
    /// NVIDIA driver refuse new instances (ErrorIncompatibleDriver) after about twenty contexts in one process.
    /// </summary>
    internal static class VulkanLoader
    {
        static readonly object Gate = new object();
        static Vk? _anchor;

        /// <summary>A new API object; throws <see cref="FileNotFoundException"/> (Silk.NET's way) when libvulkan cannot be loaded.</summary>
        public static Vk Open()
        {
            lock (Gate)
                _anchor ??= Vk.GetApi();
            return Vk.GetApi();
        }
    }
}
