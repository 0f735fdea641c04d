using System.IO;
using NUnit.Framework;
using Sim.Core.Trace;

namespace Sim.Core.Tests.Trace
{
    public class TraceStatsTests
    {
        static string Fixture(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "traces", name);

        [Test]
        public void PrefixReuseOfTheMooncakeFixtureWorkedByHand()
        {
            // Prompts 1024 [1,2], 1300 [1,2,3], 600 [4,5], 2000 [1,2,3,6], 512 [4]: 5,436 tokens.
            // Unbounded cache hits: 0, 2 blocks (1,024), 0, 3 blocks (1,536), 1 block (512) = 3,072.
            // LRU of 2 blocks (1,024 tokens): only the second request hits (1,024): by the fourth, 1 and 2
            // were evicted by 3, 4 and 5, and by the fifth, 4 was evicted by 1, 2, 3 and 6.
            // LRU of 1 block: the cache holds only the last block touched, never a request's first: 0.
            TraceStats stats = TraceStats.Compute(TraceFile.Read(Fixture("mooncake_5.jsonl"), TraceFormat.Auto), new long[] { 1024, 512 });
            Assert.That(stats.HasPrefixHashes, Is.True);
            Assert.That(stats.TotalPromptTokens, Is.EqualTo(5436));
            Assert.That(stats.InfiniteCacheHitTokenRatio, Is.EqualTo(3072.0 / 5436).Within(1e-15));
            Assert.That(stats.LruHitTokenRatio[0].Key, Is.EqualTo(1024));
            Assert.That(stats.LruHitTokenRatio[0].Value, Is.EqualTo(1024.0 / 5436).Within(1e-15));
            Assert.That(stats.LruHitTokenRatio[1].Value, Is.EqualTo(0));
        }

        [Test]
        public void CountsDurationAndNearestRankQuantiles()
        {
            // Vidur fixture: arrivals 0..1.5 s, prompts 100,200,300,400: p50 = rank 2 = 200, p90 = rank 4 = 400.
            TraceStats stats = TraceStats.Compute(TraceFile.Read(Fixture("vidur_4.csv"), TraceFormat.Auto), new long[0]);
            Assert.That(stats.Count, Is.EqualTo(4));
            Assert.That(stats.DurationS, Is.EqualTo(1.5));
            Assert.That(stats.ArrivalRatePerS, Is.EqualTo(4 / 1.5));
            Assert.That(stats.PromptTokens.P50, Is.EqualTo(200));
            Assert.That(stats.PromptTokens.P90, Is.EqualTo(400));
            Assert.That(stats.PromptTokens.Mean, Is.EqualTo(250));
            Assert.That(stats.HasPrefixHashes, Is.False);
        }
    }
}
