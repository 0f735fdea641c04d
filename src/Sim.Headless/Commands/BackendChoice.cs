using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Sim.Core;
using Sim.Core.Compute;
using Sim.Core.Scenes;
using Sim.Vulkan;

namespace Sim.Headless.Commands
{
    /// <summary>
    /// Resolves <c>--backend</c>: <c>cpu</c> runs the reference kernels; <c>vulkan</c> runs them as compute shaders on the
    /// preferred Vulkan device, or stops with one line when there is none. <c>auto</c> looks for a device only for scenes
    /// whose steps run kernels over thousands of elements (<see cref="KernelsAtScale"/>): there, on a discrete GPU, it sends
    /// each call at or past that kernel's measured crossover to the device (<see cref="CrossoverBackend"/>) and says so;
    /// everything else runs on the CPU without loading Vulkan at all (docs/VULKAN.md, "Choosing a backend").
    /// </summary>
    internal static class BackendChoice
    {
        static readonly TimeSpan DispatchTimeout = TimeSpan.FromSeconds(60);

        /// <summary>
        /// Whether the scene's steps run kernels over thousands of elements (token mode's scoring and attention, MoE's gate),
        /// where a device can matter; elsewhere the calls are a handful of replicas or blocks.
        /// </summary>
        public static bool KernelsAtScale(Scene scene) => scene.TokenLevel || scene.Moe != null;

        /// <param name="kernelsAtScale">From <see cref="KernelsAtScale"/>: whether <c>auto</c> looks for a device.</param>
        /// <param name="notices">Where <c>auto</c> says what it chose.</param>
        public static IComputeBackend Resolve(string requested, bool kernelsAtScale, TextWriter notices)
        {
            switch (requested)
            {
                case "auto":
                    return kernelsAtScale ? Auto(notices) : CpuBackend.Instance;
                case "cpu":
                    return CpuBackend.Instance;
                case "vulkan":
                    return Vulkan();
                default:
                    throw new SimInputException("--backend", 0, requested, "unknown backend; use auto, cpu or vulkan");
            }
        }

        /// <summary>Out of line so that the CPU choices never load Sim.Vulkan and Silk.NET.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        static IComputeBackend Vulkan()
        {
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
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        static IComputeBackend Auto(TextWriter notices)
        {
            VulkanAvailability availability = VulkanProbe.Probe();
            if (!availability.Devices.Any(d => d.Kind == VulkanDeviceKind.DiscreteGpu))
            {
                notices.WriteLine(CpuNotice);
                return CpuBackend.Instance;
            }
            VulkanBackend device;
            try
            {
                device = VulkanBackend.Create(DispatchTimeout);
            }
            catch (NotSupportedException e)
            {
                notices.WriteLine(CpuNotice + " (" + e.Message + ")");
                return CpuBackend.Instance;
            }
            notices.WriteLine(DeviceNotice(device.Device, KernelCrossover.DiscreteGpu));
            return new CrossoverBackend(device, KernelCrossover.DiscreteGpu);
        }

        /// <summary>What <c>auto</c> says when it finds no discrete GPU.</summary>
        public const string CpuNotice = "backend auto: the CPU; no discrete GPU here, and CPU drivers and integrated GPUs lose to it at every size (docs/VULKAN.md); --backend vulkan forces a device";

        /// <summary>What <c>auto</c> says when it opens a device: which calls go there and why.</summary>
        public static string DeviceNotice(VulkanDeviceInfo device, KernelCrossover crossover) =>
            "backend auto: " + device + ": the MoE gate from " + crossover.GateLogits + " logits and selection from " + crossover.SelectKeys
            + " keys a call run there, everything else on the CPU (the measured crossovers, docs/VULKAN.md)";
    }
}
