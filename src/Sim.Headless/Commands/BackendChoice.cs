using Sim.Core;

namespace Sim.Headless.Commands
{
    /// <summary>
    /// Resolves <c>--backend</c>. No system of this build dispatches a compute kernel yet (attention, eviction
    /// and routing kernels arrive with token mode and MoE), so every run computes on the CPU; asking for
    /// Vulkan explicitly is refused rather than silently ignored.
    /// </summary>
    internal static class BackendChoice
    {
        public static string Resolve(string requested) => requested switch
        {
            "auto" or "cpu" => "cpu",
            "vulkan" => throw new SimInputException("--backend", 0, "vulkan", "no kernel of this build runs on Vulkan yet; use --backend cpu or auto"),
            _ => throw new SimInputException("--backend", 0, requested, "unknown backend; use auto, cpu or vulkan"),
        };
    }
}
