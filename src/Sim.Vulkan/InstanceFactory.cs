using Silk.NET.Core.Native;
using Silk.NET.Vulkan;

namespace Sim.Vulkan
{
    /// <summary>Creates the Vulkan 1.1 instance shared by the probe and the compute context.</summary>
    internal static unsafe class InstanceFactory
    {
        const string ValidationLayer = "VK_LAYER_KHRONOS_validation";

        /// <summary>
        /// Creates an instance asking for API 1.1 (subgroup operations and storage-buffer SPIR-V are core there).
        /// The validation layer is enabled only when requested and installed, so machines without the SDK still run.
        /// </summary>
        public static Instance Create(Vk vk, bool validationIfPresent, out bool validationEnabled)
        {
            validationEnabled = validationIfPresent && IsLayerPresent(vk, ValidationLayer);
            // Explicit \0: Vulkan reads these as C strings.
            fixed (byte* appName = "sim\0"u8)
            fixed (byte* layerName = "VK_LAYER_KHRONOS_validation\0"u8)
            {
                var app = new ApplicationInfo
                {
                    SType = StructureType.ApplicationInfo,
                    PApplicationName = appName,
                    ApplicationVersion = 1,
                    PEngineName = appName,
                    EngineVersion = 1,
                    ApiVersion = Vk.Version11,
                };
                byte** layers = stackalloc byte*[1];
                layers[0] = layerName;
                var info = new InstanceCreateInfo
                {
                    SType = StructureType.InstanceCreateInfo,
                    PApplicationInfo = &app,
                    EnabledLayerCount = validationEnabled ? 1u : 0u,
                    PpEnabledLayerNames = validationEnabled ? layers : null,
                };
                VulkanException.Check(vk.CreateInstance(&info, null, out Instance instance), "vkCreateInstance");
                return instance;
            }
        }

        static bool IsLayerPresent(Vk vk, string name)
        {
            uint count = 0;
            VulkanException.Check(vk.EnumerateInstanceLayerProperties(&count, null), "vkEnumerateInstanceLayerProperties");
            var layers = new LayerProperties[count];
            fixed (LayerProperties* p = layers)
                VulkanException.Check(vk.EnumerateInstanceLayerProperties(&count, p), "vkEnumerateInstanceLayerProperties");
            for (int i = 0; i < count; i++)
            {
                fixed (byte* layerName = layers[i].LayerName)
                    if (SilkMarshal.PtrToString((nint)layerName) == name)
                        return true;
            }
            return false;
        }
    }
}
