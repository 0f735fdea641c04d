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
    /// preferred Vulkan device, or stops with one line when there is none. <c>auto</c> decides once for the run
    /// (<see cref="AutoBackendRule"/>): for scenes whose steps run kernels over thousands of elements (token mode's
    /// attention, MoE's gate) it weighs the scene's sizes against the crossovers measured on the best device found and
    /// says which backend and why in one line; elsewhere it runs on the CPU without loading Vulkan at all
    /// (docs/VULKAN.md, "Choosing a backend").
    /// </summary>
    internal static class BackendChoice
    {
        static readonly TimeSpan DispatchTimeout = TimeSpan.FromSeconds(60);

        /// <param name="sizes">The scene's sizes (<see cref="RunSizes.Of"/>): all zero keeps <c>auto</c> on the CPU, silently.</param>
        /// <param name="notices">Where <c>auto</c> says what it chose.</param>
        public static IComputeBackend Resolve(string requested, RunSizes sizes, TextWriter notices)
        {
            switch (requested)
            {
                case "auto":
                    return sizes.ResidentTokens > 0 || sizes.GateLogitsPerCall > 0 ? Auto(sizes, notices) : CpuBackend.Instance;
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
        static IComputeBackend Auto(RunSizes sizes, TextWriter notices)
        {
            VulkanDeviceInfo? best = VulkanProbe.Probe().Devices.OrderBy(d => d.Kind == VulkanDeviceKind.DiscreteGpu ? 0 : 1).FirstOrDefault();
            AutoDevice kind = best == null ? AutoDevice.None : best.Kind == VulkanDeviceKind.DiscreteGpu ? AutoDevice.Discrete : AutoDevice.HostShared;
            AutoChoice choice = AutoBackendRule.Decide(sizes, kind, best?.ToString() ?? "");
            if (!choice.OnDevice)
            {
                notices.WriteLine(choice.Line);
                return CpuBackend.Instance;
            }
            VulkanBackend device;
            try
            {
                device = VulkanBackend.Create(DispatchTimeout);
            }
            catch (NotSupportedException e)
            {
                notices.WriteLine("backend auto: cpu (" + best + " cannot run the kernels: " + e.Message + ")");
                return CpuBackend.Instance;
            }
            notices.WriteLine(choice.Line);
            return new CrossoverBackend(device, KernelCrossover.DiscreteGpu);
        }
    }
}
