using System;
using System.Diagnostics;
using System.Globalization;
using Sim.Core.Compute;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Core.Trace;
using Sim.Vulkan;

namespace Sim.Bench
{
    /// <summary>
    /// End-to-end replays timed as the CLI times them: wall time of the simulation only (after the scene and
    /// trace are read), best of several runs, and the process's peak memory.
    /// </summary>
    public static class ReplayBenchmark
    {
        const int Runs = 5;

        /// <summary>
        /// <c>replay SCENE.yaml [--requests N] [--backend cpu|vulkan]</c>: the scene's workload, best of five runs; on
        /// vulkan, with the prefix caches' victim listings (the resident block family's steps).
        /// </summary>
        public static int Replay(string[] args)
        {
            string? requests = Option(args, "--requests"), backendName = Option(args, "--backend") ?? "cpu";
            if (args.Length < 2 || (backendName != "cpu" && backendName != "vulkan"))
            {
                Console.Error.WriteLine("usage: replay SCENE.yaml [--requests N] [--backend cpu|vulkan]");
                return 2;
            }
            var overrides = requests != null ? new[] { "workload.requests=" + requests } : Array.Empty<string>();
            using VulkanBackend? vulkan = backendName == "vulkan" ? VulkanBackend.Create(TimeSpan.FromSeconds(60)) : null;
            IComputeBackend backend = vulkan != null ? vulkan : CpuBackend.Instance;
            Scene scene = SceneLoader.Load(args[1], overrides);
            var clock = Stopwatch.StartNew();
            SceneWorkload workload = SceneWorkload.Open(scene);
            double parseS = clock.Elapsed.TotalSeconds;
            double bestS = double.MaxValue, bestCpuS = double.MaxValue;
            Simulation? last = null;
            for (int run = 0; run < Runs; run++)
            {
                last?.Dispose();
                last = new Simulation(scene, workload.Requests, workload.Count, workload.SourceName, backend: backend);
                TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
                clock.Restart();
                last.Run();
                bestS = Math.Min(bestS, clock.Elapsed.TotalSeconds);
                bestCpuS = Math.Min(bestCpuS, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
            }
            Report(scene.Name, workload.Count, bestS, bestCpuS, last!, "trace read in " + parseS.ToString("F3", CultureInfo.InvariantCulture) + " s" + Listings(last!));
            last!.Dispose();
            return 0;
        }

        static string? Option(string[] args, string name)
        {
            int at = Array.IndexOf(args, name);
            return at >= 2 && at + 1 < args.Length ? args[at + 1] : null;
        }

        /// <summary>The prefix caches' victim listings, where a resident family names their victims: at most one a step that evicts, but for lists made again.</summary>
        static string Listings(Simulation simulation)
        {
            long listings = 0, relistings = 0, evictions = 0, steps = 0;
            int blocks = 0;
            foreach (ReplicaRuntime replica in simulation.Cluster.Replicas)
            {
                if (replica.Kv.Prefix == null) continue;
                blocks = Math.Max(blocks, replica.Kv.TotalPages / replica.Kv.Prefix.PagesPerBlock);
                listings += replica.Kv.Prefix.VictimListings;
                relistings += replica.Kv.Prefix.VictimRelistings;
                steps += replica.Kv.Prefix.VictimSteps;
                evictions += replica.Kv.Prefix.Evictions;
            }
            if (listings == 0) return "";
            return string.Format(CultureInfo.InvariantCulture, "; {0} victim listings ({1} of them made again) for {2} evictions in {3} replica steps that evicted: {4:F3} listings a step that evicts, over up to {5} blocks a replica",
                listings, relistings, evictions, steps, (double)listings / steps, blocks);
        }

        /// <summary>
        /// <c>synthetic N [SCENE.yaml]</c>: N generated requests streamed through the scene (default: the 4-replica
        /// conversation setup). A scene with a synthetic workload keeps its own (with its shared prefixes); a trace
        /// scene gets Poisson arrivals shaped like the Azure conversation trace. Generation is inside the wall time.
        /// </summary>
        public static int Synthetic(string[] args)
        {
            long requests = long.Parse(args[1], CultureInfo.InvariantCulture);
            Scene scene = SceneLoader.Load(args.Length > 2 ? args[2] : "scenes/examples/azure-conv-4x-llama2-70b.yaml", Array.Empty<string>());
            scene.MaxRequests = null;
            if (scene.Synthetic != null)
            {
                scene.Synthetic.Requests = requests;
            }
            else
            {
                scene.TracePath = null;
                // The scene's time_scale slows its trace to the rate its replicas sustain; these arrivals have their own rate.
                scene.TimeScale = 1;
                scene.Synthetic = new SyntheticWorkload
                {
                    Requests = requests,
                    Arrival = ArrivalProcess.Poisson,
                    RatePerS = 5,
                    PromptTokens = new LengthDistribution { Kind = LengthKind.LogNormal, Mean = 1000, Sigma = 1, Min = 1, Max = 3000 },
                    OutputTokens = new LengthDistribution { Kind = LengthKind.LogNormal, Mean = 230, Sigma = 1, Min = 1, Max = 1000 },
                };
            }
            SceneWorkload workload = SceneWorkload.Open(scene);
            using var simulation = new Simulation(scene, workload.Requests, workload.Count, workload.SourceName);
            TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            simulation.Run();
            Report("synthetic", requests, clock.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds, simulation, "streamed");
            return 0;
        }

        /// <summary>One line of figures; the CPU seconds (all the process's threads, the runtime's included) tell a loaded machine's waits from work.</summary>
        static void Report(string name, long requests, double wallS, double cpuS, Simulation simulation, string note)
        {
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "{0}: {1} requests, {2} iterations ({8} fast-forwarded), {3} simulated s; wall {4:F3} s = {5:F0} requests/s, CPU {9:F3} s = {10:F0} requests/s; peak memory {6:F0} MiB; GC {11}/{12}/{13} collections of generation 0/1/2, paused {14:F3} s in all ({7})",
                name, requests, simulation.TotalIterations, simulation.NowS.ToString("F0", CultureInfo.InvariantCulture), wallS, requests / wallS,
                Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, note, simulation.FastForwardedIterations, cpuS, requests / cpuS,
                GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration().TotalSeconds));
        }
    }
}
