using System;
using System.Linq;
using NUnit.Framework;
using Sim.Core.Metrics;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Core.Tests.Support;
using Sim.Core.Trace;

namespace Sim.Core.Tests.Pipeline
{
    public class DeterminismAndAllocationTests
    {
        static Scene SyntheticScene(long requests, double ratePerS = 40)
        {
            Scene scene = TestScenes.Small(kvCapacityTokens: 20000);
            scene.Replicas = 2;
            scene.Synthetic = new SyntheticWorkload
            {
                Requests = requests,
                Arrival = ArrivalProcess.Poisson,
                RatePerS = ratePerS,
                PromptTokens = new LengthDistribution { Kind = LengthKind.Uniform, Min = 50, Max = 1500 },
                OutputTokens = new LengthDistribution { Kind = LengthKind.Uniform, Min = 10, Max = 300 },
            };
            return scene;
        }

        static Simulation RunSynthetic(Scene scene)
        {
            SceneWorkload workload = SceneWorkload.Open(scene);
            var sim = new Simulation(scene, workload.Requests, workload.Count, workload.SourceName);
            sim.Run();
            return sim;
        }

        [Test]
        public void SameSceneAndSeedGiveIdenticalRecords()
        {
            RequestRecord[] first = RunSynthetic(SyntheticScene(800)).Log.Records.ToArray();
            RequestRecord[] second = RunSynthetic(SyntheticScene(800)).Log.Records.ToArray();
            Assert.That(second, Is.EqualTo(first));
            Assert.That(first.Count(r => r.Preemptions > 0), Is.GreaterThan(0), "the load should be high enough to preempt");
            Scene reseeded = SyntheticScene(800);
            reseeded.Seed = 43;
            Assert.That(RunSynthetic(reseeded).Log.Records.ToArray(), Is.Not.EqualTo(first));
        }

        [Test]
        public void StepLoopAllocatesNothingInSteadyState()
        {
            // A load the replicas keep up with, so queues and live requests stay bounded (a true steady state).
            Scene scene = SyntheticScene(40000, ratePerS: 10);
            scene.CheckInvariants = false;
            SceneWorkload workload = SceneWorkload.Open(scene);
            using var sim = new Simulation(scene, workload.Requests, workload.Count, workload.SourceName);
            // Warm up until every pool (entity chunks, queues) has reached the largest size this run needs.
            // Counted in steps taken (a fast-forward move takes many in one call).
            while (sim.Steps < 60000) sim.Step();
            long before = GC.GetAllocatedBytesForCurrentThread();
            bool running = true;
            while (running && sim.Steps < 80000) running = sim.Step();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.That(running, Is.True, "the run must still be going while measured");
            Assert.That(sim.FastForwardedIterations, Is.GreaterThan(0), "moves are part of the steady state measured");
            Assert.That(allocated, Is.EqualTo(0), "bytes allocated over 20,000 steady-state steps");
        }

        /// <summary>
        /// Scenes whose steps do more than dense decoding: the prefix cache's index and eviction order, MoE's gate and
        /// expert cache, and disaggregation's transfers (a component added at hand-off, the landed ones collected and routed).
        /// </summary>
        static readonly (string Name, string Yaml)[] ModeScenes =
        {
            ("prefix caching", "name: p\nseed: 3\nmodel: llama-2-7b\nhardware: a100-80g\ncluster: { replicas: 2, router: prefix-aware }\n" +
                "kv: { capacity_tokens: 30000, prefix_caching: true }\n" +
                "workload:\n  shared_prefix: { groups: 12, tokens: 1024, fraction: 0.8 }\n" +
                "  synthetic: { requests: 40000, arrival: poisson, rate_per_s: 6, prompt_tokens: { dist: uniform, min: 1100, max: 1600 }, output_tokens: { dist: uniform, min: 10, max: 200 } }\n"),
            ("moe offload", "name: m\nseed: 3\nmodel: mixtral-8x7b\nhardware: a100-80g\nparallelism: { tp: 4 }\ncluster: { replicas: 1 }\n" +
                "moe: { hbm_slots_per_layer: 6, cache: lru, prefetch: true, predictor_accuracy: 0.8 }\n" +
                "workload:\n  synthetic: { requests: 40000, arrival: poisson, rate_per_s: 1, prompt_tokens: { dist: uniform, min: 50, max: 800 }, output_tokens: { dist: uniform, min: 10, max: 200 } }\n"),
            ("disaggregation", "name: d\nseed: 3\nmodel: llama-2-7b\nhardware: a100-80g\n" +
                "cluster:\n  disaggregation: { prefill: { replicas: 1 }, decode: { replicas: 2 }, link_gb_s: 50, link_latency_us: 10, decode_router: least-kv }\n" +
                "workload:\n  synthetic: { requests: 40000, arrival: poisson, rate_per_s: 4, prompt_tokens: { dist: uniform, min: 300, max: 700 }, output_tokens: { dist: uniform, min: 10, max: 200 } }\n"),
        };

        /// <summary>Each scene on the CPU kernels, and the prefix-caching one also with its victims named by the resident block family (the device's path, on the CPU reference).</summary>
        static System.Collections.Generic.IEnumerable<TestCaseData> ModeCases() =>
            ModeScenes.Select(s => new TestCaseData(s.Yaml, false).SetName("StepLoopAllocatesNothingInSteadyState(" + s.Name + ")"))
                .Append(new TestCaseData(ModeScenes[0].Yaml, true).SetName("StepLoopAllocatesNothingInSteadyState(prefix caching, victims from the resident family)"));

        [TestCaseSource(nameof(ModeCases))]
        public void StepLoopAllocatesNothingInSteadyStateInEveryMode(string yaml, bool residentVictims)
        {
            string path = System.IO.Path.Combine(TestContext.CurrentContext.WorkDirectory, "alloc-" + Guid.NewGuid().ToString("N") + ".yaml");
            System.IO.File.WriteAllText(path, yaml);
            Scene scene = SceneLoader.Load(path, Array.Empty<string>());
            System.IO.File.Delete(path);
            scene.CheckInvariants = false;
            // The requests are made before the run: generating a request's prompt hashes allocates, and is the workload's work, not a step's.
            SceneWorkload workload = SceneWorkload.Open(scene);
            var requests = workload.Requests.ToList();
            using var sim = new Simulation(scene, requests, requests.Count, workload.SourceName, backend: residentVictims ? new ResidentCpuBackend() : null);
            // Warm up until the pools (chunks, queues, the prefix index, eviction order, expert cache) have grown to what the run needs.
            while (sim.Steps < 60000 && sim.Step()) { }
            long before = GC.GetAllocatedBytesForCurrentThread();
            bool running = true;
            while (running && sim.Steps < 70000) running = sim.Step();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.That(running, Is.True, "the run must still be going while measured");
            Assert.That(allocated, Is.EqualTo(0), "bytes allocated over 10,000 steady-state steps");
            if (residentVictims) Assert.That(sim.Cluster.Replicas.Sum(r => r.Kv.Prefix!.VictimListings), Is.GreaterThan(100), "the family named the victims");
        }
    }
}
