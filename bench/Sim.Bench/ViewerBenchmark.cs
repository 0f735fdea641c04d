using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Sim.Core.Host;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Headless.Viewer;

namespace Sim.Bench
{
    /// <summary>
    /// <c>viewer</c>: what watching costs. One replica with 10,240 KV pages under load steps 3,000 times bare, then
    /// through a <see cref="SimulationHost"/> with a viewer attached: after every step the state the page fetches
    /// (batch, queues, the whole page map, latencies) is built as JSON. Prints the host overhead per step, then how
    /// long a snapshot of that world takes to write and to restore (best of five), and its size.
    /// </summary>
    public static class ViewerBenchmark
    {
        const int Steps = 3000;

        const string Scene = "name: viewer-bench\nmodel: llama-2-7b\nhardware: a100-80g\ncluster: { replicas: 1 }\nkv: { capacity_tokens: 163840 }\n" +
            "scheduler: { max_num_seqs: 256 }\n" +
            "workload:\n  synthetic: { requests: 20000, arrival: poisson, rate_per_s: 60, prompt_tokens: { dist: uniform, min: 200, max: 2000 }, output_tokens: { dist: uniform, min: 50, max: 400 } }\n";

        public static int Run()
        {
            string dir = Path.Combine(Path.GetTempPath(), "sim-viewer-bench-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            string path = Path.Combine(dir, "scene.yaml");
            File.WriteAllText(path, Scene);
            try
            {
                Scene scene = SceneLoader.Load(path, Array.Empty<string>());
                double bareS = Bare(scene), watchedS = Watched(scene, out int pages, out long bytes);
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                    "viewer: {0} pages, {1} steps: bare {2:F3} ms/step, with host and state JSON {3:F3} ms/step ({4:N0} bytes); overhead {5:F3} ms/step",
                    pages, Steps, bareS * 1e3 / Steps, watchedS * 1e3 / Steps, bytes, (watchedS - bareS) * 1e3 / Steps));
                Snapshots(scene);
                return 0;
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        static void Snapshots(Scene scene)
        {
            using var host = new SimulationHost(scene);
            host.RunUntil(h => h.Steps >= Steps);
            byte[] snapshot = host.Snapshot();
            double saveS = double.MaxValue, restoreS = double.MaxValue;
            for (int run = 0; run < 5; run++)
            {
                var clock = Stopwatch.StartNew();
                snapshot = host.Snapshot();
                saveS = Math.Min(saveS, clock.Elapsed.TotalSeconds);
                clock.Restart();
                host.Restore(snapshot);
                restoreS = Math.Min(restoreS, clock.Elapsed.TotalSeconds);
            }
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "snapshot at step {0}: {1:N0} bytes, written in {2:F1} ms, restored in {3:F1} ms (a fresh simulation built and loaded)",
                host.Steps, snapshot.Length, saveS * 1e3, restoreS * 1e3));
        }

        static double Bare(Scene scene)
        {
            SceneWorkload workload = SceneWorkload.Open(scene);
            using var simulation = new Simulation(scene, workload.Requests, workload.Count, workload.SourceName);
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < Steps; i++) simulation.Step();
            return clock.Elapsed.TotalSeconds;
        }

        static double Watched(Scene scene, out int pages, out long bytes)
        {
            using var session = new ViewerSession(scene);
            var clock = Stopwatch.StartNew();
            bytes = 0;
            for (int i = 0; i < Steps; i++)
            {
                session.Step(1);
                bytes = session.Read((host, latencies, history) => StateJson.Write(host, latencies, history, 0, -1)).Length;
            }
            double seconds = clock.Elapsed.TotalSeconds;
            pages = session.Read((host, _) => host.Pages(0).Count);
            return seconds;
        }
    }
}
