using NUnit.Framework;
using Sim.Core.Compute;

namespace Sim.Core.Tests.Compute
{
    /// <summary>The CPU routing kernel on hand-worked candidate lists.</summary>
    public class BestReplicaTests
    {
        static ReplicaScore Score(int prefixBlocks, double uncomputedTokens) => new ReplicaScore { PrefixBlocks = prefixBlocks, UncomputedTokens = uncomputedTokens };

        [Test]
        public void MorePrefixBlocksBeatLessLoad()
        {
            ReplicaScore[] replicas = { Score(0, 10), Score(2, 5_000), Score(1, 0) };
            Assert.That(CpuBackend.Instance.BestReplica(replicas), Is.EqualTo(1));
        }

        [Test]
        public void EqualBlocksGoToTheLeastLoad()
        {
            ReplicaScore[] replicas = { Score(3, 700), Score(3, 650), Score(0, 1), Score(3, 651) };
            Assert.That(CpuBackend.Instance.BestReplica(replicas), Is.EqualTo(1));
        }

        [Test]
        public void FullTiesGoToTheLowestPosition()
        {
            ReplicaScore[] replicas = { Score(0, 9), Score(1, 4), Score(0, 0), Score(1, 4) };
            Assert.That(CpuBackend.Instance.BestReplica(replicas), Is.EqualTo(1));
        }

        [Test]
        public void NoCandidateIsRefused()
        {
            Assert.Throws<System.ArgumentException>(() => CpuBackend.Instance.BestReplica(System.Array.Empty<ReplicaScore>()));
        }
    }
}
