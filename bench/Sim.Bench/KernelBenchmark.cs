using System;
using System.Diagnostics;
using System.Globalization;
using Sim.Core.Compute;
using Sim.Core.Kv;
using Sim.Vulkan;

namespace Sim.Bench
{
    /// <summary>
    /// <c>kernels</c>: each kernel on both backends at 1e3..1e7 elements: time per call (best of several) and the
    /// memory traffic it implies in GB/s, beside a copy of the same bytes on the CPU (a STREAM-like bandwidth bound).
    /// A Vulkan call includes writing its inputs to and reading its outputs from the mapped buffers.
    /// </summary>
    public static class KernelBenchmark
    {
        static readonly int[] Sizes = { 1_000, 10_000, 100_000, 1_000_000, 10_000_000 };

        public static int Run()
        {
            VulkanBackend? vulkan = VulkanProbe.Probe().IsAvailable ? VulkanBackend.Create(TimeSpan.FromSeconds(120)) : null;
            Console.WriteLine("device: " + (vulkan?.Device.ToString() ?? "none (Vulkan columns skipped)"));
            Console.WriteLine("kernel,elements,bytes,cpu_ms,cpu_gb_s,vulkan_ms,vulkan_gb_s,copy_gb_s");
            foreach (int n in Sizes)
            {
                // Eviction scores: 24-byte usage in, 8-byte score out per block.
                var blocks = new BlockUsage[n];
                var scores = new double[n];
                for (int i = 0; i < n; i++) blocks[i] = new BlockUsage { LastAccessS = i, CachedAtS = n - i, AccessCount = i % 97, ChainBlocks = 1 + i % 13 };
                Report("evict_score", n, 32L * n,
                    () => CpuBackend.Instance.ScoreEviction(EvictionPolicy.SizeAware, blocks, 0.5, scores),
                    vulkan == null ? null : () => vulkan.ScoreEviction(EvictionPolicy.SizeAware, blocks, 0.5, scores));
                // Attention over n positions: 32-byte key in, 4-byte probability written then rescaled.
                var keys = new float[n * 8];
                for (int i = 0; i < keys.Length; i++) keys[i] = (i * 7919 % 1000) / 1000f - 0.5f;
                var query = new float[] { 1, 0.5f, -0.25f, 0, 0.1f, 0, 0, 0.3f };
                var probabilities = new float[n];
                Report("attention", n, 44L * n,
                    () => CpuBackend.Instance.AttentionProbabilities(keys, n, query, 0.001f, probabilities),
                    vulkan == null ? null : () => vulkan.AttentionProbabilities(keys, n, query, 0.001f, probabilities));
                // MoE gate over n tokens of 8 experts, top-2: 32 bytes of logits in, 8 bytes of picks out.
                var logits = new float[n * 8];
                for (int i = 0; i < logits.Length; i++) logits[i] = (i * 104729 % 977) / 977f;
                var chosen = new int[n * 2];
                var load = new int[8];
                Report("gate", n, 40L * n,
                    () => CpuBackend.Instance.GateTopK(logits, n, 8, 2, chosen, load),
                    vulkan == null ? null : () => vulkan.GateTopK(logits, n, 8, 2, chosen, load));
                // Selection of the lowest 1% of n keys: 4-byte key in, 4-byte index out per selected. The GPU's
                // bitonic network moves far more (log² n passes over 8-byte pairs) than this minimum.
                var selectKeys = new float[n];
                for (int i = 0; i < n; i++) selectKeys[i] = (i * 7919 % 100_003) * 0.5f;
                var lowest = new int[Math.Max(1, n / 100)];
                Report("select_lowest", n, 4L * n + 4L * lowest.Length,
                    () => CpuBackend.Instance.SelectLowest(selectKeys, lowest),
                    vulkan == null ? null : () => vulkan.SelectLowest(selectKeys, lowest));
                // Routing among n replicas: a 16-byte score in per replica.
                var replicas = new ReplicaScore[n];
                for (int i = 0; i < n; i++) replicas[i] = new ReplicaScore { PrefixBlocks = i * 31 % 17, UncomputedTokens = i * 7919 % 100_003 };
                Report("route_best", n, 16L * n,
                    () => CpuBackend.Instance.BestReplica(replicas),
                    vulkan == null ? null : () => vulkan.BestReplica(replicas));
            }
            vulkan?.Dispose();
            ResidentBandwidth();
            return 0;
        }

        /// <summary>
        /// What the device's memory sustains on data that stays resident: the scale kernel (12 bytes an element: x read, y
        /// read and written) run 100 times over 1e7 elements in one submission, no host copies. The per-call rows above
        /// stage every input and wait; this is the bound a kernel on device-resident columns can reach.
        /// </summary>
        static void ResidentBandwidth()
        {
            if (!VulkanProbe.Probe().IsAvailable) return;
            const int n = 10_000_000, passes = 100;
            using VulkanContext context = VulkanContext.Create(validationIfPresent: false);
            using var x = new ComputeBuffer(context, n);
            using var y = new ComputeBuffer(context, n);
            using var kernel = new ScaleKernel(context);
            kernel.Run(x, y, 0.5f, n, TimeSpan.FromSeconds(120)); // warm-up: pipeline, first touch
            double best = Best(() => kernel.Run(x, y, 0.5f, n, TimeSpan.FromSeconds(120), passes));
            double bytes = 12.0 * n * passes;
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "resident_scale,{0},{1},,,{2:F4},{3:F2},", n, 12L * n, best / passes * 1e3, bytes / best / 1e9));
        }

        static void Report(string kernel, int n, long bytes, Action cpu, Action? vulkan)
        {
            double cpuS = Best(cpu), copyS = Best(CopyOf(bytes));
            double vulkanS = double.NaN;
            try
            {
                if (vulkan != null) vulkanS = Best(vulkan);
            }
            catch (InvalidOperationException e)
            {
                // A buffer past the device's maxStorageBufferRange is refused, not split: the row says so.
                Console.Error.WriteLine(kernel + " at " + n + " on Vulkan: " + e.Message);
            }
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0},{1},{2},{3:F4},{4:F2},{5:F4},{6:F2},{7:F2}",
                kernel, n, bytes, cpuS * 1e3, bytes / cpuS / 1e9, vulkanS * 1e3, bytes / vulkanS / 1e9, bytes / copyS / 1e9));
        }

        static Action CopyOf(long bytes)
        {
            var from = new byte[bytes];
            var to = new byte[bytes];
            return () => Buffer.BlockCopy(from, 0, to, 0, (int)bytes);
        }

        /// <summary>Best of enough runs to take about 0.2 s (at least 3), or the one warm-up run when that took over a second.</summary>
        static double Best(Action action)
        {
            var warmUp = Stopwatch.StartNew();
            action();
            if (warmUp.Elapsed.TotalSeconds > 1) return warmUp.Elapsed.TotalSeconds;
            double best = double.MaxValue, spent = 0;
            for (int run = 0; run < 3 || spent < 0.2; run++)
            {
                var clock = Stopwatch.StartNew();
                action();
                double s = clock.Elapsed.TotalSeconds;
                best = Math.Min(best, s);
                spent += s;
                if (run > 1000) break;
            }
            return best;
        }
    }
}
