using System;
using System.Linq;
using NUnit.Framework;
using Sim.Core.Compute;
using Sim.Core.Kv;
using Sim.Core.Pipeline;
using Sim.Tests.Shared;

namespace Sim.Vulkan.Tests
{
    /// <summary>
    /// Prefix-caching runs on the Vulkan backend against the same runs on the CPU: the same requests and evictions bit for
    /// bit, the blocks released in a step scored in one submission for all replicas, the victims named by the resident
    /// block family on the device.
    /// </summary>
    public class PrefixRunTests
    {
        [TestCase(EvictionPolicy.Lru)]
        [TestCase(EvictionPolicy.Predicted)]
        public void AVulkanRunEqualsTheCpuRunWithOneScoringSubmissionAStep(EvictionPolicy policy)
        {
            DeviceRequirement.Require();
            using VulkanBackend vulkan = VulkanBackend.Create(TimeSpan.FromSeconds(60));
            // Twenty requests a second on four replicas: batches are full, requests finish together and evictions are many.
            using Simulation cpu = PrefixRun.Run(policy, 300, 20, CpuBackend.Instance);
            using Simulation device = PrefixRun.Run(policy, 300, 20, vulkan);
            Assert.That(device.Steps, Is.EqualTo(cpu.Steps));
            Assert.That(device.Log.Records.ToArray(), Is.EqualTo(cpu.Log.Records.ToArray()));
            long[] cpuEvictions = cpu.Cluster.Replicas.Select(r => r.Kv.Prefix!.Evictions).ToArray();
            Assert.That(device.Cluster.Replicas.Select(r => r.Kv.Prefix!.Evictions).ToArray(), Is.EqualTo(cpuEvictions));
            Assert.That(cpuEvictions.Sum(), Is.GreaterThan(100), "the caches evicted");
            // On the device the resident family names the victims: one listing serves a step's evictions (and more while
            // the list lasts); the CPU's caches order their own.
            long listings = device.Cluster.Replicas.Sum(r => r.Kv.Prefix!.VictimListings);
            TestContext.WriteLine(policy + ": " + listings + " victim listings for " + cpuEvictions.Sum() + " evictions in " + device.Steps + " steps");
            Assert.That(cpu.Cluster.Replicas.Sum(r => r.Kv.Prefix!.VictimListings), Is.Zero);
            Assert.That(listings, Is.GreaterThan(0).And.LessThan(cpuEvictions.Sum()));

            // Each request that let go of cached blocks was one call before; now a step's releases are one call (a step is one
            // event time: requests finishing in one step share their finish time), and only a preemption (while scheduling,
            // pages reserved right after) scores its own at once.
            var records = device.Log.Records.ToArray();
            long preemptions = records.Sum(record => (long)record.Preemptions);
            int finishSteps = records.Select(record => record.FinishS).Distinct().Count();
            TestContext.WriteLine(policy + ": " + vulkan.EvictionScoreCalls + " scoring submissions, " + finishSteps + " steps finishing requests, "
                + records.Length + " requests, " + preemptions + " preemptions");
            Assert.That(finishSteps, Is.LessThan(records.Length), "some requests finish together");
            Assert.That(vulkan.EvictionScoreCalls, Is.GreaterThan(10).And.LessThanOrEqualTo(finishSteps + preemptions));
        }

        /// <summary>
        /// A run saved mid-run on one device context (its victims listed on the device) and restored on another, whose new
        /// family gets every evictable block written again from the snapshot: the same requests and evictions as the CPU's
        /// unbroken run, bit for bit.
        /// </summary>
        [TestCase(EvictionPolicy.Lru, 700)]
        [TestCase(EvictionPolicy.SizeAware, 1500)]
        public void ARunSavedOnTheDeviceAndRestoredOnAnotherContextEqualsTheCpuRun(EvictionPolicy policy, long savedAfterEvictions)
        {
            DeviceRequirement.Require();
            using VulkanBackend savingOn = VulkanBackend.Create(TimeSpan.FromSeconds(60));
            using VulkanBackend restoringOn = VulkanBackend.Create(TimeSpan.FromSeconds(60));
            using Simulation cpu = PrefixRun.Run(policy, 300, 20, CpuBackend.Instance);
            using Simulation restored = PrefixRun.RunRestored(policy, 300, 20, savingOn, restoringOn, savedAfterEvictions, out Simulation saved);
            using (saved) Assert.That(saved.Cluster.Replicas.Sum(r => r.Kv.Prefix!.VictimListings), Is.GreaterThan(0), "the device had listed victims when saved");
            Assert.That(restored.Log.Records.ToArray(), Is.EqualTo(cpu.Log.Records.ToArray()));
            Assert.That(restored.TotalIterations, Is.EqualTo(cpu.TotalIterations));
            Assert.That(restored.Cluster.Replicas.Select(r => r.Kv.Prefix!.Evictions), Is.EqualTo(cpu.Cluster.Replicas.Select(r => r.Kv.Prefix!.Evictions)));
            Assert.That(cpu.Cluster.Replicas.Sum(r => r.Kv.Prefix!.Evictions), Is.GreaterThan(savedAfterEvictions), "evictions remained after the save");
        }
    }
}
