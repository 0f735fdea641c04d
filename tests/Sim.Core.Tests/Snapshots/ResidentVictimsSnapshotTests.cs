using System.Linq;
using NUnit.Framework;
using Sim.Core.Compute;
using Sim.Core.Kv;
using Sim.Core.Pipeline;
using Sim.Core.Snapshots;
using Sim.Core.Tests.Support;
using Sim.Tests.Shared;

namespace Sim.Core.Tests.Snapshots
{
    /// <summary>
    /// Runs whose prefix caches take their victims from the resident block family (the device's path, the CPU reference
    /// standing in for a device) saved mid-run and restored into a new family: the run ends as the unbroken run does, on
    /// the resident path and on the CPU's own heap.
    /// </summary>
    public class ResidentVictimsSnapshotTests
    {
        [TestCase(EvictionPolicy.Lru, 1)]
        [TestCase(EvictionPolicy.Lru, 700)]
        [TestCase(EvictionPolicy.Lru, 2000)]
        [TestCase(EvictionPolicy.SizeAware, 700)]
        [TestCase(EvictionPolicy.Predicted, 1200)]
        public void ARestoredRunEndsAsTheUnbrokenRunAndTheCpuRun(EvictionPolicy policy, long savedAfterEvictions)
        {
            using Simulation cpu = PrefixRun.Run(policy, 300, 20, CpuBackend.Instance);
            using Simulation unbroken = PrefixRun.Run(policy, 300, 20, new ResidentCpuBackend());
            using Simulation restored = PrefixRun.RunRestored(policy, 300, 20, new ResidentCpuBackend(), new ResidentCpuBackend(), savedAfterEvictions, out Simulation saved);
            using (saved)
            {
                Assert.That(saved.Cluster.Replicas.Sum(r => r.Kv.Prefix!.VictimListings), Is.GreaterThan(0), "the family had listed victims when saved");
                Assert.That(saved.Cluster.Replicas.Sum(r => r.Kv.Prefix!.Evictions), Is.LessThan(cpu.Cluster.Replicas.Sum(r => r.Kv.Prefix!.Evictions)), "evictions remained after the save");
            }
            RequestRecordsEqual(restored, cpu);
            RequestRecordsEqual(restored, unbroken);
            // The list, its place and its length came back with the snapshot: the restored run listed when and as often as the unbroken one.
            Assert.That(restored.Cluster.Replicas.Select(r => (r.Kv.Prefix!.VictimListings, r.Kv.Prefix.VictimRelistings, r.Kv.Prefix.VictimSteps)),
                Is.EqualTo(unbroken.Cluster.Replicas.Select(r => (r.Kv.Prefix!.VictimListings, r.Kv.Prefix.VictimRelistings, r.Kv.Prefix.VictimSteps))));
        }

        static void RequestRecordsEqual(Simulation actual, Simulation expected)
        {
            Assert.That(actual.Log.Records.ToArray(), Is.EqualTo(expected.Log.Records.ToArray()));
            Assert.That(actual.TotalIterations, Is.EqualTo(expected.TotalIterations));
            Assert.That(actual.NowS, Is.EqualTo(expected.NowS));
            Assert.That(actual.Cluster.Replicas.Select(r => r.Kv.Prefix!.Evictions), Is.EqualTo(expected.Cluster.Replicas.Select(r => r.Kv.Prefix!.Evictions)));
        }

        [Test]
        public void ASnapshotIsRefusedWithOneLineWhereTheOtherSideOrdersTheVictims()
        {
            string fromFamily = Assert.Throws<SnapshotException>(() => PrefixRun.RunRestored(EvictionPolicy.Lru, 300, 20, new ResidentCpuBackend(), CpuBackend.Instance, 100, out _))!.Message;
            Assert.That(fromFamily, Does.Contain("resident blocks").And.Not.Contain("\n"));
            string fromHeap = Assert.Throws<SnapshotException>(() => PrefixRun.RunRestored(EvictionPolicy.Lru, 300, 20, CpuBackend.Instance, new ResidentCpuBackend(), 100, out _))!.Message;
            Assert.That(fromHeap, Does.Contain("ordered their own victims").And.Not.Contain("\n"));
        }
    }
}
