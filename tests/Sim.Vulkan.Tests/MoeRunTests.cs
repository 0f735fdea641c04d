using System;
using System.Linq;
using NUnit.Framework;
using Sim.Core.Compute;
using Sim.Core.Experts;
using Sim.Core.Pipeline;
using Sim.Tests.Shared;

namespace Sim.Vulkan.Tests
{
    /// <summary>
    /// MoE runs on the Vulkan backend against the same runs on the CPU: the same requests and expert statistics bit for
    /// bit, the gate one resident submission a step over every replica (counted on the backend) and the per-call kernel
    /// only where the replicas measure their layers' marginals at start.
    /// </summary>
    public class MoeRunTests
    {
        [TestCase("moe-mixtral-offload.yaml", false)]
        [TestCase("moe-mixtral-offload.yaml", true)]
        [TestCase("moe-mixtral-nested-bits.yaml", true)]
        public void AVulkanRunEqualsTheCpuRunWithOneGateSubmissionAStep(string scene, bool atOnce)
        {
            DeviceRequirement.Require();
            using VulkanBackend vulkan = VulkanBackend.Create(TimeSpan.FromSeconds(60));
            using Simulation cpu = MoeRun.Run(scene, 60, CpuBackend.Instance, atOnce);
            using Simulation device = MoeRun.Run(scene, 60, vulkan, atOnce);
            Assert.That(device.Steps, Is.EqualTo(cpu.Steps));
            Assert.That(device.Log.Records.ToArray(), Is.EqualTo(cpu.Log.Records.ToArray()));
            for (int r = 0; r < cpu.Cluster.Replicas.Length; r++)
            {
                MoeStats expected = cpu.Cluster.Replicas[r].Moe!.Stats, actual = device.Cluster.Replicas[r].Moe!.Stats;
                Assert.That(actual.Iterations, Is.GreaterThan(10), "replica " + r + " ran");
                Assert.That(new[] { actual.TokensRouted, actual.LoadImbalance, actual.StallS, actual.BytesLoaded, actual.BitsPerToken, actual.AllToAllS },
                    Is.EqualTo(new[] { expected.TokensRouted, expected.LoadImbalance, expected.StallS, expected.BytesLoaded, expected.BitsPerToken, expected.AllToAllS }), "replica " + r);
                Assert.That(new[] { actual.Hits, actual.Misses, actual.PrefetchesIssued, actual.PrefetchesUseful, actual.PredictedUses },
                    Is.EqualTo(new[] { expected.Hits, expected.Misses, expected.PrefetchesIssued, expected.PrefetchesUseful, expected.PredictedUses }), "replica " + r);
            }

            StepGate gate = device.World.GetResource<StepGate>();
            long iterations = device.Cluster.Replicas.Sum(replica => replica.Moe!.Stats.Iterations);
            TestContext.WriteLine(scene + (atOnce ? " at once" : "") + ": " + gate.Steps + " gate steps, " + iterations + " MoE iterations, " + device.Steps + " steps");
            // At most one gate step a step; replicas starting batches in the same step share it (their first ones, arriving at once).
            Assert.That(gate.Steps, Is.GreaterThan(10).And.LessThanOrEqualTo(iterations).And.LessThanOrEqualTo(device.Steps));
            if (atOnce) Assert.That(gate.Steps, Is.LessThanOrEqualTo(iterations - 3), "the four first batches went through one gate step");
            var resident = (VulkanResidentKernels)vulkan.Resident;
            Assert.That(resident.GateSubmissions, Is.EqualTo(gate.Steps), "one gate submission a step");
            // Per call: each replica's four sampled layers' marginals, measured once as the replicas are built; none a step.
            Assert.That(vulkan.GateCalls, Is.EqualTo(4 * 4));
        }
    }
}
