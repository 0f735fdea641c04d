using System;
using NUnit.Framework;
using Sim.Core.Kv;

namespace Sim.Core.Tests.Kv
{
    /// <summary>
    /// Belady's farthest-in-future eviction through a real prefix cache, on the demand-paging traces of
    /// <see cref="PredictedEvictionTests"/> (request i at i s, one cacheable block each, C blocks cached).
    /// </summary>
    public class BeladyEvictionTests
    {
        [Test]
        public void TheTextbookReferenceStringGivesBeladysFiveHitsAndLrusTwo()
        {
            // 1 2 3 4 1 2 5 1 2 3 4 5 with three frames. By hand, Belady: 1, 2, 3 miss; 4 evicts 3 (next needed last);
            // 1, 2 hit; 5 evicts 4; 1, 2 hit; 3 and 4 miss (1 and 2 are never needed again); 5 hits: 5 hits, 7 misses.
            // LRU: 4 evicts 1, 1 evicts 2, 2 evicts 3, 5 evicts 4; 1, 2 hit; 3 evicts 5, 4 evicts 1, 5 evicts 2: 2 hits.
            int[] pages = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };
            Assert.That(PredictedEvictionTests.Hits(pages, 3, EvictionPolicy.Belady), Is.EqualTo(5));
            Assert.That(PredictedEvictionTests.Hits(pages, 3, EvictionPolicy.Lru), Is.EqualTo(2));
            Assert.That(PredictedEvictionTests.OptimalHits(pages, 3), Is.EqualTo(5));
        }

        [Test]
        public void OnRandomTracesBeladyMatchesTheExhaustiveOptimumAndNeverLosesToLru()
        {
            var random = new Random(11);
            for (int trial = 0; trial < 40; trial++)
            {
                int capacity = 2 + trial % 2;
                var pages = new int[12];
                for (int i = 0; i < pages.Length; i++) pages[i] = 1 + random.Next(5);
                int belady = PredictedEvictionTests.Hits(pages, capacity, EvictionPolicy.Belady);
                string trace = string.Join(" ", pages) + ", " + capacity + " blocks";
                Assert.That(belady, Is.EqualTo(PredictedEvictionTests.OptimalHits(pages, capacity)), trace);
                Assert.That(belady, Is.GreaterThanOrEqualTo(PredictedEvictionTests.Hits(pages, capacity, EvictionPolicy.Lru)), trace);
            }
        }
    }
}
