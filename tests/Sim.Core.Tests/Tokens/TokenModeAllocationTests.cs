using System;
using NUnit.Framework;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Tests.Shared;

namespace Sim.Core.Tests.Tokens
{
    /// <summary>
    /// Token mode's step loop allocates nothing once every sequence slot and its columns have grown to the run's size: the
    /// shipped long-prompt scene, shortened to 300-token prompts and 60-token answers at evenly spaced arrivals (so the
    /// batch, and the slots it needs, stay bounded), under each policy that scores every step.
    /// </summary>
    public class TokenModeAllocationTests
    {
        [TestCase("h2o")]
        [TestCase("cake")]
        [TestCase("lazy")]
        [TestCase("mikv")]
        public void TokenModeStepsAllocateNothingInSteadyState(string policy)
        {
            Scene scene = SceneLoader.Load(Repository.PathOf("scenes", "examples", "long-prompt-kv-compression-llama3-8b.yaml"), new[]
            {
                "kv.compression.policy=" + policy, "kv.compression.budget_tokens=96",
                "workload.synthetic.requests=100000", "workload.synthetic.arrival=gamma", "workload.synthetic.gamma_cv=0.01",
                "workload.synthetic.rate_per_s=20", "workload.synthetic.prompt_tokens.value=300", "workload.synthetic.output_tokens.value=60",
            });
            scene.CheckInvariants = false;
            SceneWorkload workload = SceneWorkload.Open(scene);
            using var simulation = new Simulation(scene, workload.Requests, workload.Count, workload.SourceName);
            while (simulation.Steps < 4000) simulation.Step();
            long before = GC.GetAllocatedBytesForCurrentThread();
            bool running = true;
            while (running && simulation.Steps < 6000) running = simulation.Step();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.That(running, Is.True, "the run must still be going while measured");
            Assert.That(simulation.World.GetResource<Sim.Core.Tokens.TokenStore>().Stats.OutputError.Count, Is.GreaterThan(10000), "decode steps were scored");
            Assert.That(allocated, Is.EqualTo(0), "bytes allocated over 2,000 steady-state steps");
        }
    }
}
