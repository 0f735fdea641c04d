using System;
using System.IO;
using System.Linq;
using Sim.Core;
using Sim.Core.Compute;
using Sim.Vulkan;

namespace Sim.Headless.Commands
{
    /// <summary>
    /// Resolves <c>--backend</c>: <c>cpu</c> runs the reference kernels; <c>vulkan</c> runs them as compute shaders on the
    /// preferred Vulkan device, or stops with one line when there is none; <c>auto</c> opens a discrete GPU when there is
    /// one and sends it each kernel call at or past that kernel's measured crossover (<see cref="KernelCrossover"/>),
    /// saying so on stderr, and otherwise runs everything on the CPU without a word: a CPU device (lavapipe) or an
    /// integrated GPU lost to the CPU at every size measured (docs/VULKAN.md, "Choosing a backend").
    /// </summary>
    internal static class BackendChoice
    {
        static readonly TimeSpan DispatchTimeout = TimeSpan.FromSeconds(60);

        /// <param name="notices">Where <c>auto</c> says what it chose.</param>
        public static IComputeBackend Resolve(string requested, TextWriter notices)
        {
            switch (requested)
            {
                case "auto":
                    return Auto(notices);
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

        static IComputeBackend Auto(TextWriter notices)
        {
            VulkanAvailability availability = VulkanProbe.Probe();
            if (!availability.IsAvailable || !availability.Devices.Any(d => d.Kind == VulkanDeviceKind.DiscreteGpu))
                return CpuBackend.Instance;
            VulkanBackend device;
            try
            {
                device = VulkanBackend.Create(DispatchTimeout);
            }
            catch (NotSupportedException)
            {
                return CpuBackend.Instance;
            }
            notices.WriteLine(AutoNotice(device.Device, KernelCrossover.DiscreteGpu));
            return new CrossoverBackend(device, KernelCrossover.DiscreteGpu);
        }

        /// <summary>What <c>auto</c> says when it opens a device: which calls go there and why.</summary>
        public static string AutoNotice(VulkanDeviceInfo device, KernelCrossover crossover) =>
            "backend auto: " + device + ": the MoE gate from " + crossover.GateLogits + " logits and selection from " + crossover.SelectKeys
            + " keys a call run there, everything else on the CPU (the measured crossovers, docs/VULKAN.md)";
    }
}
