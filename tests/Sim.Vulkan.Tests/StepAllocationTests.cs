using System;
using System.IO;
using System.Linq;
using NUnit.Framework;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Tests.Shared;

namespace Sim.Vulkan.Tests
{
    /// <summary>
    /// The step loop on the Vulkan backend allocates nothing once its pools and the kernels' buffers have grown to the run's
    /// size: every submission is recorded without a delegate, its buffers and steps handed over on the stack, and every
    /// read-back lands in the caller's span. One scene a kind of device work: a prefix cache (eviction scores, routing and
    /// the resident block family's listings), token mode (the resident attention step and token keys) and MoE (the gate).
    /// </summary>
    public class StepAllocationTests
    {
        const string PrefixScene = "name: p\nseed: 3\nmodel: llama-2-7b\nhardware: a100-80g\ncluster: { replicas: 2, router: prefix-aware }\n" +
            "kv: { capacity_tokens: 30000, prefix_caching: true }\n" +
            "workload:\n  shared_prefix: { groups: 12, tokens: 1024, fraction: 0.8 }\n" +
            "  synthetic: { requests: 40000, arrival: poisson, rate_per_s: 6, prompt_tokens: { dist: uniform, min: 1100, max: 1600 }, output_tokens: { dist: uniform, min: 10, max: 200 } }\n";

        const string MoeScene = "name: m\nseed: 3\nmodel: mixtral-8x7b\nhardware: a100-80g\nparallelism: { tp: 4 }\ncluster: { replicas: 1 }\n" +
            "moe: { hbm_slots_per_layer: 6, cache: lru, prefetch: true, predictor_accuracy: 0.8 }\n" +
            "workload:\n  synthetic: { requests: 40000, arrival: poisson, rate_per_s: 1, prompt_tokens: { dist: uniform, min: 50, max: 800 }, output_tokens: { dist: uniform, min: 10, max: 200 } }\n";

        static Scene FromYaml(string yaml)
        {
            string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "vulkan-alloc-" + Guid.NewGuid().ToString("N") + ".yaml");
            File.WriteAllText(path, yaml);
            try { return SceneLoader.Load(path, Array.Empty<string>()); }
            finally { File.Delete(path); }
        }

        static Scene TokenModeScene() => SceneLoader.Load(Repository.ExampleScene("long-prompt-kv-compression-llama3-8b.yaml"), new[]
        {
            "kv.compression.policy=h2o", "kv.compression.budget_tokens=96",
            "workload.synthetic.requests=100000", "workload.synthetic.arrival=gamma", "workload.synthetic.gamma_cv=0.01",
            "workload.synthetic.rate_per_s=4", "workload.synthetic.prompt_tokens.value=300", "workload.synthetic.output_tokens.value=60",
        });

        static long Listings(Simulation simulation) => simulation.Cluster.Replicas.Sum(r => r.Kv.Prefix?.VictimListings ?? 0);

        [TestCase("prefix caching", 20000, 5000)]
        [TestCase("token mode", 600, 200)]
        [TestCase("moe", 20000, 5000)]
        public void StepsOnTheDeviceAllocateNothingInSteadyState(string kind, int warmSteps, int measuredSteps)
        {
            DeviceRequirement.Require();
            Scene scene = kind == "prefix caching" ? FromYaml(PrefixScene) : kind == "moe" ? FromYaml(MoeScene) : TokenModeScene();
            scene.CheckInvariants = false;
            // The requests are made before the run: generating a request's prompt hashes allocates, and is the workload's work, not a step's.
            SceneWorkload workload = SceneWorkload.Open(scene);
            var requests = workload.Requests.ToList();
            using VulkanBackend vulkan = VulkanBackend.Create(TimeSpan.FromSeconds(60));
            using var simulation = new Simulation(scene, requests, requests.Count, workload.SourceName, backend: vulkan);
            while (simulation.Steps < warmSteps && simulation.Step()) { }
            long calls = vulkan.Submissions, listings = Listings(simulation);
            long before = GC.GetAllocatedBytesForCurrentThread();
            bool running = true;
            while (running && simulation.Steps < warmSteps + measuredSteps) running = simulation.Step();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            calls = vulkan.Submissions - calls;
            listings = Listings(simulation) - listings;
            TestContext.WriteLine(kind + ": " + allocated + " bytes over " + measuredSteps + " steps, " + calls + " submissions, " + listings + " victim listings");
            Assert.That(running, Is.True, "the run must still be going while measured");
            Assert.That(calls, Is.GreaterThan(measuredSteps / 20), "the device did the steps' work");
            if (kind == "prefix caching") Assert.That(listings, Is.GreaterThan(10), "the resident family listed victims while measured");
            Assert.That(allocated, Is.EqualTo(0), "bytes allocated over " + measuredSteps + " steady-state steps");
        }
    }
}
