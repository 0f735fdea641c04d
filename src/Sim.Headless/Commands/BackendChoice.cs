using System;
using Sim.Core;
using Sim.Core.Compute;
using Sim.Vulkan;

namespace Sim.Headless.Commands
{
    /// <summary>
    /// Resolves <c>--backend</c>: <c>cpu</c> runs the reference kernels; <c>vulkan</c> runs them as compute shaders on the
    /// preferred Vulkan device, or stops with one line when there is none; <c>auto</c> takes the CPU for now: the kernels'
    /// calls are small and one at a time, so a dispatch costs more than it saves until the bench sets a threshold.
    /// </summary>
    internal static class BackendChoice
    {
        static readonly TimeSpan DispatchTimeout = TimeSpan.FromSeconds(60);

        public static IComputeBackend Resolve(string requested)
        {
            switch (requested)
            {
                case "auto":
                case "cpu":
                    return CpuBackend.Instance;
                case "vulkan":
                    VulkanAvailability availability = VulkanProbe.Probe();
                    if (!availability.IsAvailable)
                        throw new SimInputException("--backend", 0, "vulkan", "no Vulkan device: " + availability.Reason + "; use --backend cpu");
                    try
                    {
                        return VulkanBackend.Create(DispatchTimeout);
                    }
                    catch (NotSupportedException e)
                    {
                        throw new SimInputException("--backend", 0, "vulkan", e.Message + "; use --backend cpu");
                    }
                default:
                    throw new SimInputException("--backend", 0, requested, "unknown backend; use auto, cpu or vulkan");
            }
        }
    }
}
