using System;
using System.Globalization;
using System.Linq;
using Sim.Core.Compute;
using Sim.Vulkan;

namespace Sim.Bench
{
    /// <summary>
    /// <c>scale [--small | --sweep] [--steps N] [--backend both|cpu|vulkan|auto]</c>: scenes where the work is large (token mode
    /// with over a million resident tokens, an MoE gate taking over 100,000 tokens a step, a prefix cache of ten million
    /// blocks), each a step loop over resident columns, timed on the CPU and on Vulkan, with a check that both hand
    /// back the same bits. <c>--small</c> sizes run in seconds on a CPU driver (lavapipe); <c>--sweep</c> runs each scene at
    /// 1/64, 1/16, 1/4 and all of its full size, to place the crossover; <c>auto</c> runs each scene
    /// on the backend the measured crossover picks for its size and says which and why on stderr.
    /// </summary>
    public static class ScaleBenchmark
    {
        static readonly TimeSpan Timeout = TimeSpan.FromSeconds(300);

        static ScaleScene[] Small => new ScaleScene[] { new ScaleTokenScene(2, 32, 256), new ScaleMoeScene(4_096, 64, 6), new ScalePrefixScene(50_000, 500, 100) };

        /// <summary>The full scenes (fraction 1) or each shrunk to a <paramref name="fraction"/> of its sequences, tokens, blocks, hits and evictions.</summary>
        static ScaleScene[] Full(double fraction) => new ScaleScene[]
        {
            new ScaleTokenScene(8, Part(125, fraction), 1_024),
            new ScaleMoeScene(Part(131_072, fraction), 64, 6),
            new ScalePrefixScene(Part(10_000_000, fraction), Part(10_000, fraction), Part(1_000, fraction)),
        };

        /// <summary>--sweep's fractions of the full sizes: where the backends cross over lies between two of them.</summary>
        static readonly double[] SweepFractions = { 1.0 / 64, 1.0 / 16, 1.0 / 4, 1 };

        static int Part(int full, double fraction) => Math.Max(1, (int)Math.Round(full * fraction));

        public static int Run(string[] args)
        {
            bool small = args.Contains("--small"), sweep = args.Contains("--sweep");
            string backend = Option(args, "--backend") ?? "both";
            if (!int.TryParse(Option(args, "--steps") ?? (small ? "3" : "10"), NumberStyles.None, CultureInfo.InvariantCulture, out int steps)) steps = 0;
            if (!new[] { "both", "cpu", "vulkan", "auto" }.Contains(backend) || steps < 1 || (small && sweep))
            {
                Console.Error.WriteLine("error: scale: usage: scale [--small | --sweep] [--steps N >= 1] [--backend both|cpu|vulkan|auto]");
                return 2;
            }
            VulkanAvailability availability = VulkanProbe.Probe();
            VulkanResidentKernels? vulkan = null;
            string? vulkanMissing = null;
            bool discrete = availability.Devices.Any(d => d.Kind == VulkanDeviceKind.DiscreteGpu);
            if (backend != "cpu" && (backend != "auto" || discrete))
            {
                try
                {
                    vulkan = availability.IsAvailable ? VulkanResidentKernels.Create(Timeout) : null;
                    vulkanMissing = availability.IsAvailable ? null : availability.Reason;
                }
                catch (NotSupportedException e)
                {
                    vulkanMissing = e.Message;
                }
            }
            if (backend == "vulkan" && vulkan == null)
            {
                Console.Error.WriteLine("error: scale: --backend vulkan: no usable Vulkan device: " + vulkanMissing);
                return 2;
            }
            using (vulkan)
            {
                var cpu = new CpuResidentKernels();
                Console.WriteLine("device: " + (vulkan?.Device.ToString() ?? "none" + (vulkanMissing != null ? " (" + vulkanMissing + ")" : "")) + "; steps: " + steps);
                Console.WriteLine("scene,size,cpu_first_ms,cpu_step_ms,vulkan_first_ms,vulkan_step_ms,cpu_over_vulkan,outputs");
                bool allSame = true;
                ScaleScene[] scenes = small ? Small : sweep ? SweepFractions.SelectMany(Full).ToArray() : Full(1);
                foreach (ScaleScene scene in scenes)
                {
                    bool runCpu = backend == "both" || backend == "cpu", runVulkan = (backend == "both" || backend == "vulkan") && vulkan != null;
                    if (backend == "auto")
                    {
                        runVulkan = Auto(scene, vulkan, discrete);
                        runCpu = !runVulkan;
                    }
                    (ScaleResult? cpuResult, string cpuNote) = runCpu ? Measure(scene, cpu, steps) : (null, "-");
                    (ScaleResult? vulkanResult, string vulkanNote) = runVulkan ? Measure(scene, vulkan!, steps) : (null, "-");
                    string outputs = "-";
                    if (cpuResult is ScaleResult c && vulkanResult is ScaleResult v)
                    {
                        outputs = c.Checksum == v.Checksum ? "identical " + c.Checksum.ToString("x16") : "DIFFER cpu " + c.Checksum.ToString("x16") + " vulkan " + v.Checksum.ToString("x16");
                        allSame &= c.Checksum == v.Checksum;
                    }
                    else if ((cpuResult ?? vulkanResult) is ScaleResult only) outputs = "checksum " + only.Checksum.ToString("x16");
                    string ratio = cpuResult is ScaleResult rc && vulkanResult is ScaleResult rv ? Format(rc.StepMs / rv.StepMs) : "-";
                    Console.WriteLine(string.Join(",", scene.Name, "\"" + scene.Size + "\"", First(cpuResult, cpuNote), Step(cpuResult, cpuNote),
                        First(vulkanResult, vulkanNote), Step(vulkanResult, vulkanNote), ratio, outputs));
                }
                return allSame ? 0 : 1;
            }
        }

        /// <summary>
        /// auto's choice for a scene: the device when there is a discrete GPU and the scene's heaviest kernel is at or past
        /// its crossover (<see cref="KernelCrossover.DiscreteGpu"/>); said on stderr with the numbers behind it.
        /// </summary>
        static bool Auto(ScaleScene scene, VulkanResidentKernels? vulkan, bool discrete)
        {
            if (!discrete || vulkan == null)
            {
                Console.Error.WriteLine("backend auto: " + scene.Name + " on the CPU: no discrete GPU here, and auto takes a device only where crossovers were measured for it (a discrete GPU, docs/VULKAN.md)");
                return false;
            }
            int crossover = scene.CrossoverOf(KernelCrossover.DiscreteGpu);
            bool device = scene.CrossoverElements >= crossover;
            Console.Error.WriteLine("backend auto: " + scene.Name + " on " + (device ? vulkan.Device.ToString() : "the CPU") + ": " + scene.CrossoverElements.ToString("N0")
                + " " + scene.Kernel + " elements a step " + (device ? "at or past" : "below") + " its measured crossover ("
                + (crossover == KernelCrossover.Never ? "never: the device lost at every size measured" : crossover.ToString("N0")) + ", docs/VULKAN.md)");
            return device;
        }

        static (ScaleResult?, string) Measure(ScaleScene scene, IResidentKernels kernels, int steps)
        {
            try
            {
                return (scene.Run(kernels, steps), "");
            }
            catch (InvalidOperationException e) when (kernels is VulkanResidentKernels)
            {
                // A column past the device's storage-buffer range (lavapipe's 128 MiB at full size): refused, not split.
                Console.Error.WriteLine("scale: " + scene.Name + " on vulkan refused: " + e.Message);
                return (null, "refused");
            }
        }

        static string First(ScaleResult? result, string note) => result is ScaleResult r ? Format(r.FirstStepMs) : note;

        static string Step(ScaleResult? result, string note) => result is ScaleResult r ? Format(r.StepMs) : note;

        static string Format(double value) => double.IsNaN(value) ? "-" : value.ToString(value < 10 ? "0.000" : "0.0", CultureInfo.InvariantCulture);

        static string? Option(string[] args, string name)
        {
            int at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        }
    }
}
