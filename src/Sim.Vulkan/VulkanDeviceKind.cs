namespace Sim.Vulkan
{
    /// <summary>What a Vulkan physical device is, mirroring VkPhysicalDeviceType without exposing Silk.NET to callers.</summary>
    public enum VulkanDeviceKind
    {
        Other = 0,
        IntegratedGpu = 1,
        DiscreteGpu = 2,
        VirtualGpu = 3,
        /// <summary>A software rasteriser such as Mesa's lavapipe (llvmpipe).</summary>
        Cpu = 4,
    }
}
