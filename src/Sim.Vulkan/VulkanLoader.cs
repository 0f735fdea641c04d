using System;
using System.IO;
using Silk.NET.Core.Contexts;
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
                _anchor ??= Api();
            return Api();
        }

        /// <summary>
        /// As Silk.NET's <c>Vk.GetApi</c> builds it, over <see cref="VulkanLibrary"/>: the loader's exports first, then
        /// entry points the loader does not export (extensions) through vkGetDeviceProcAddr and vkGetInstanceProcAddr for
        /// the object's current device and instance.
        /// </summary>
        static Vk Api()
        {
            var context = new MultiNativeContext(VulkanLibrary.Open(), null);
            var vk = new Vk(context);
            context.Contexts[1] = new LamdaNativeContext(name =>
            {
                if (name.EndsWith("ProcAddr", StringComparison.Ordinal)) return default;
                nint device = vk.GetDeviceProcAddr(vk.CurrentDevice.GetValueOrDefault(), name);
                return device != default ? device : vk.GetInstanceProcAddr(vk.CurrentInstance.GetValueOrDefault(), name);
            });
            return vk;
        }
    }
}
