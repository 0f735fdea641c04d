using System;
using System.IO;
using Sim.Core;
using Sim.Core.Compute;
using Sim.Vulkan;

namespace Sim.Headless.Commands
{
    /// <summary>
    /// Resolves <c>--backend</c>: <c>cpu</c> runs the reference kernels; <c>vulkan</c> runs them as compute shaders on the
    /// preferred Vulkan device, or stops with one line when there is none; <c>auto</c> takes the CPU, and says so on
    /// stderr where the choice matters (<see cref="Matters"/>) or when asked: a simulation step's kernel calls are small and one at a time, below the size where a dispatch pays
    /// (docs/VULKAN.md, "Choosing a backend").
    /// </summary>
    internal static class BackendChoice
    {
        static readonly TimeSpan DispatchTimeout = TimeSpan.FromSeconds(60);

        public const string AutoNotice = "backend auto: running the kernels on the CPU; a simulation step's calls are too small for a GPU dispatch to pay (docs/VULKAN.md); --backend vulkan forces the device";

        /// <summary>
        /// Whether the scene's steps run kernels over thousands of elements (token mode's scoring and attention, MoE's
        /// gate and routing), where which backend runs them is worth saying; elsewhere the calls are a handful of
        /// replicas or blocks, and <c>auto</c> stays quiet unless asked (<c>--verbose</c>).
        /// </summary>
        public static bool Matters(Sim.Core.Scenes.Scene scene) => scene.TokenLevel || scene.Moe != null;

        /// <param name="notices">Where <c>auto</c> says what it chose.</param>
        public static IComputeBackend Resolve(string requested, TextWriter notices)
        {
            switch (requested)
            {
                case "auto":
                    notices.WriteLine(AutoNotice);
                    return CpuBackend.Instance;
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
