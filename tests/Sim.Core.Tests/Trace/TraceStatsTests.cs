using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Sim.Core.Trace;
using static Sim.Core.Tests.Trace.TraceFixtures;

namespace Sim.Core.Tests.Trace
{
    public class TraceStatsTests
    {
        [Test]
        public void PrefixReuseOfTheMooncakeFixtureWorkedByHand()
        {
            // Prompts 1024 [1,2], 1300 [1,2,3], 600 [4,5], 2000 [1,2,3,6], 512 [4]: 5,436 tokens.
            // Unbounded cache hits: 0, 2 blocks (1,024), 0, 3 blocks (1,536), 1 block (512) = 3,072.
            // LRU of 2 blocks (1,024 tokens): only the second request hits (1,024): by the fourth, 1 and 2
            // were evicted by 3, 4 and 5, and by the fifth, 4 was evicted by 1, 2, 3 and 6.
            // LRU of 4 blocks: the third request's 4 and 5 evict 1, so the fourth misses from its first block,
            // and touching 1, 2, 3, 6 evicts 2, 3, 4, 5: again only the second request hits.
            // LRU of 1 block: the cache holds only the last block touched, never a request's first: 0.
            TraceStats stats = TraceStats.Compute(TraceFile.Read(Fixture("mooncake_5.jsonl"), TraceFormat.Auto), new long[] { 2048, 1024, 512 });
            Assert.That(stats.HasPrefixHashes, Is.True);
            Assert.That(stats.TotalPromptTokens, Is.EqualTo(5436));
            Assert.That(stats.InfiniteCacheHitTokenRatio, Is.EqualTo(3072.0 / 5436));
            Assert.That(stats.LruHitTokenRatio.Keys, Is.EqualTo(new long[] { 512, 1024, 2048 }));
            Assert.That(stats.LruHitTokenRatio[2048], Is.EqualTo(1024.0 / 5436));
            Assert.That(stats.LruHitTokenRatio[1024], Is.EqualTo(1024.0 / 5436));
            Assert.That(stats.LruHitTokenRatio[512], Is.EqualTo(0));
        }

        [Test]
        public void OneBlockLruAgainstAnUnboundedCache()
        {
            // mooncake_lru.jsonl: 300 [7], 300 [7], 1000 [7,8], 1000 [7,8], 900 [9,8]; 3,500 prompt tokens.
            // Unbounded: 0, min(512, 300) = 300, 512 (7 cached, 8 not), min(1024, 1000) = 1000, 0 (9 is not
            // cached, so 8 cannot be reused) = 1,812. One block (512 tokens, and 1,000 tokens = floor 1 block):
            // 0, 300, 512, then 0 because [7,8] left only 8 cached, then 0 = 812. Two blocks hold all of 7 and 8: 1,812.
            TraceStats stats = TraceStats.Compute(TraceFile.Read(Fixture("mooncake_lru.jsonl"), TraceFormat.Auto), new long[] { 512, 1000, 1024, 511 });
            Assert.That(stats.TotalPromptTokens, Is.EqualTo(3500));
            Assert.That(stats.InfiniteCacheHitTokenRatio, Is.EqualTo(1812.0 / 3500));
            Assert.That(stats.LruHitTokenRatio[512], Is.EqualTo(812.0 / 3500));
            Assert.That(stats.LruHitTokenRatio[1000], Is.EqualTo(812.0 / 3500));
            Assert.That(stats.LruHitTokenRatio[1024], Is.EqualTo(1812.0 / 3500));
            Assert.That(stats.LruHitTokenRatio[511], Is.EqualTo(0), "under one block holds nothing");
        }

        [Test]
        public void RequestsWithoutHashesCountAsMisses()
        {
            // 1000 [1,2], 1000 (no hashes), 1000 [1,2]: hits 0 + 0 + 1000 over 3000 prompt tokens.
            var requests = new[]
            {
                new TraceRequest { Id = 0, ArrivalS = 0, PromptTokens = 1000, OutputTokens = 1, HashIds = new[] { 1, 2 } },
                new TraceRequest { Id = 1, ArrivalS = 1, PromptTokens = 1000, OutputTokens = 1 },
                new TraceRequest { Id = 2, ArrivalS = 2, PromptTokens = 1000, OutputTokens = 1, HashIds = new[] { 1, 2 } },
            };
            TraceStats stats = TraceStats.Compute(requests, new long[] { 1024, 1024 });
            Assert.That(stats.InfiniteCacheHitTokenRatio, Is.EqualTo(1.0 / 3));
            Assert.That(stats.LruHitTokenRatio, Is.EqualTo(new Dictionary<long, double> { [1024] = 1.0 / 3 }));
        }

        [Test]
        public void CountsDurationAndNearestRankQuantiles()
        {
            // Vidur fixture: arrivals 0..1.5 s, prompts 100,200,300,400: p50 = rank ceil(2) = 200, p90 = rank ceil(3.6) = 400.
            TraceStats stats = TraceStats.Compute(TraceFile.Read(Fixture("vidur_4.csv"), TraceFormat.Auto), new long[0]);
            Assert.That(stats.Count, Is.EqualTo(4));
            Assert.That(stats.DurationS, Is.EqualTo(1.5));
            Assert.That(stats.ArrivalRatePerS, Is.EqualTo(4 / 1.5));
            Assert.That((stats.PromptTokens.Mean, stats.PromptTokens.P50, stats.PromptTokens.P90, stats.PromptTokens.P99, stats.PromptTokens.Max),
                Is.EqualTo((250.0, 200.0, 400.0, 400.0, 400.0)));
            Assert.That((stats.TotalPromptTokens, stats.TotalOutputTokens), Is.EqualTo((1000, 100)));
            Assert.That(stats.HasPrefixHashes, Is.False);
            Assert.That(stats.LruHitTokenRatio, Is.Empty);
        }

        [Test]
        public void AzureFixtureQuantiles()
        {
            // The 20 prompts sorted: 91 91 120 206 209 242 369 374 381 388 389 394 394 396 415 879 1313 1315 1353 2221.
            // p50 = rank 10 = 388, p90 = rank 18 = 1315, p99 = rank 20 = 2221; sum 11,540, mean 577.
            // The last row is 13.025088 s after the first: 20 / 13.025088 requests/s.
            TraceStats stats = TraceStats.Compute(TraceFile.Read(Fixture("azure_conv_20.csv"), TraceFormat.Auto), new long[0]);
            Assert.That((stats.PromptTokens.P50, stats.PromptTokens.P90, stats.PromptTokens.P99), Is.EqualTo((388.0, 1315.0, 2221.0)));
            Assert.That(stats.TotalPromptTokens, Is.EqualTo(11540));
            Assert.That(stats.PromptTokens.Mean, Is.EqualTo(577));
            Assert.That(stats.ArrivalRatePerS, Is.EqualTo(20 / 13.025088));
        }

        [Test]
        public void ShippedConversationTrace()
        {
            // Figures from a separate Python reading of the CSV (csv + datetime, nearest rank by ceil(q·n)).
            TraceStats stats = TraceStats.Compute(TraceFile.Read(Shipped("azure_llm_2023_conv.csv"), TraceFormat.Auto), new long[] { 4096 });
            Assert.That(stats.Count, Is.EqualTo(19366));
            Assert.That(stats.DurationS, Is.EqualTo(3501.721937));
            Assert.That(stats.TotalPromptTokens, Is.EqualTo(22361870));
            Assert.That((stats.PromptTokens.P50, stats.PromptTokens.P90, stats.PromptTokens.P99, stats.PromptTokens.Max), Is.EqualTo((1020.0, 2735.0, 4142.0, 14050.0)));
            Assert.That(stats.HasPrefixHashes, Is.False);
        }

        [Test]
        public void SingleRequestHasZeroDurationAndRate()
        {
            var one = new[] { new TraceRequest { ArrivalS = 5, PromptTokens = 7, OutputTokens = 3 } };
            TraceStats stats = TraceStats.Compute(one, new long[0]);
            Assert.That((stats.Count, stats.DurationS, stats.ArrivalRatePerS, stats.PromptTokens.P99), Is.EqualTo((1L, 0.0, 0.0, 7.0)));
        }
    }
}
