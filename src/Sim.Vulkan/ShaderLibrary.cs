namespace Sim.Vulkan
{
    // Placeholder: replaced by the embedded SPIR-V loader.
    public static class ShaderLibrary
    {
    }
}
