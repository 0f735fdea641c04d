namespace Sim.Vulkan
{
    /// <summary>One physical device as the Vulkan loader reports it.</summary>
    public sealed class VulkanDeviceInfo
    {
        public VulkanDeviceInfo(string name, VulkanDeviceKind kind)
        {
            Name = name;
            Kind = kind;
        }

        public string Name { get; }
        public VulkanDeviceKind Kind { get; }

        public override string ToString() => Name + " (" + Kind + ")";
    }
}
