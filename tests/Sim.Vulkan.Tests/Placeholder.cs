namespace Sim.Vulkan.Tests
{
    internal static class Placeholder
    {
    }
}
