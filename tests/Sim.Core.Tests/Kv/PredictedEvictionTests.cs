using System;
using System.Collections.Generic;
using NUnit.Framework;
using Sim.Core.Components;
using Sim.Core.Compute;
using Sim.Core.Ecs;
using Sim.Core.Kv;
using Sim.Core.Trace;

namespace Sim.Core.Tests.Kv
{
    /// <summary>
    /// Learned paging as classic demand paging: request i arrives at i s with a 513-token prompt whose first
    /// 512-token block is page x (the letter) and whose last token needs one more, uncached page; it is released at
    /// i + 0.5 s. A pool of C + 1 pages therefore caches C blocks, and a miss with C cached evicts exactly one. The
    /// optimum is found by trying every eviction choice (independent of Belady's rule and of the simulator).
    /// </summary>
    public class PredictedEvictionTests
    {
        const int Block = 512;

        // A and B recur every 3 s; X, Y, Z, W are one-offs between them.
        static readonly int[] Cycle = { 1, 2, 10, 1, 2, 11, 1, 2, 12, 1, 2, 13 };

        static TraceRequest[] Requests(int[] pages)
        {
            var requests = new TraceRequest[pages.Length];
            for (int i = 0; i < pages.Length; i++)
                requests[i] = new TraceRequest { Id = i, ArrivalS = i, PromptTokens = Block + 1, OutputTokens = 1, HashIds = new[] { pages[i], 0 } };
            return requests;
        }

        /// <summary>Prefix hits when the requests run through a real prefix cache of <paramref name="capacity"/> blocks.</summary>
        internal static int Hits(int[] pages, int capacity, EvictionPolicy policy, double horizonS = 2.5, double error = 0)
        {
            TraceRequest[] requests = Requests(pages);
            var pool = new KvBlockPool(new World(), 0, capacity + 1, Block);
            ReusePredictor? predictor = policy.ReadsFuture() ? new ReusePredictor(new ReuseOracle(requests), horizonS, error, seed: 7, replica: 0) : null;
            pool.EnablePrefixCache(policy, CpuBackend.Instance, 1000, null, null, predictor);
            int hits = 0;
            foreach (TraceRequest request in requests)
            {
                PrefixMatch match = pool.Prefix!.Match(request.HashIds, request.PromptTokens);
                hits += match.Blocks;
                KvPageTable table = KvBlockPool.EmptyTable;
                Assert.That(pool.TryReserve(ref table, request.PromptTokens, match, request.HashIds!, request.ArrivalS, out ulong lastKey), Is.True);
                int cached = match.Blocks;
                pool.Prefix.RegisterComputed(table, request.HashIds, request.PromptTokens, request.PromptTokens, ref cached, ref lastKey, request.ArrivalS);
                pool.Release(ref table, request.ArrivalS + 0.5);
            }
            return hits;
        }

        /// <summary>The most hits any eviction choices give (demand paging: a missed page always enters).</summary>
        internal static int OptimalHits(int[] pages, int capacity) => OptimalHits(pages, 0, capacity, new List<int>());

        static int OptimalHits(int[] pages, int at, int capacity, List<int> cache)
        {
            if (at == pages.Length) return 0;
            int page = pages[at];
            if (cache.Contains(page)) return 1 + OptimalHits(pages, at + 1, capacity, cache);
            if (cache.Count < capacity)
            {
                var grown = new List<int>(cache) { page };
                return OptimalHits(pages, at + 1, capacity, grown);
            }
            int best = 0;
            for (int victim = 0; victim < cache.Count; victim++)
            {
                var next = new List<int>(cache) { [victim] = page };
                best = Math.Max(best, OptimalHits(pages, at + 1, capacity, next));
            }
            return best;
        }

        [Test]
        public void WithTwoBlocksPredictionsKeepOneRecurringPageWhereLruKeepsNone()
        {
            // By hand: LRU always evicts the page needed next (0 hits). Predicted, error 0: at X both A and B are
            // predicted reused, so A (older) goes; at A's miss X (not reused) goes; B then hits, and so each cycle: 3 hits.
            Assert.That(Hits(Cycle, 2, EvictionPolicy.Lru), Is.EqualTo(0));
            Assert.That(Hits(Cycle, 2, EvictionPolicy.Predicted), Is.EqualTo(3));
            Assert.That(OptimalHits(Cycle, 2), Is.EqualTo(3), "one of A, B per cycle: the one-off must push one out");
        }

        [Test]
        public void WithThreeBlocksErrorZeroIsOptimalAndAllWrongIsWorseThanLru()
        {
            // By hand: A and B hit in all three later cycles (6) under LRU, error 0 and the optimum. All wrong: the
            // one-offs look reused and A, B not, so after the first cycle's two hits A and B evict each other.
            Assert.That(OptimalHits(Cycle, 3), Is.EqualTo(6));
            Assert.That(Hits(Cycle, 3, EvictionPolicy.Lru), Is.EqualTo(6));
            Assert.That(Hits(Cycle, 3, EvictionPolicy.Predicted), Is.EqualTo(6));
            Assert.That(Hits(Cycle, 3, EvictionPolicy.Predicted, error: 1), Is.EqualTo(2));
        }

        [Test]
        public void ErrorZeroMatchesTheOptimumOnAScanPastAHotSet()
        {
            // Hot pages 1, 2 recur every 4 s; 20.. are scanned once. The horizon (3.5 s) sees each hot page's next use.
            int[] pages = { 1, 2, 20, 21, 1, 2, 22, 23, 1, 2, 24, 25, 1, 2 };
            int optimum = OptimalHits(pages, 3);
            Assert.That(Hits(pages, 3, EvictionPolicy.Predicted, horizonS: 3.5), Is.EqualTo(optimum));
            Assert.That(Hits(pages, 3, EvictionPolicy.Lru), Is.LessThan(optimum));
        }

        [Test]
        public void AZeroHorizonPredictsNoReuseAndSoIsLru()
        {
            int[] pages = { 1, 2, 3, 1, 4, 2, 1, 5, 3, 2, 1, 4 };
            Assert.That(Hits(pages, 2, EvictionPolicy.Predicted, horizonS: 0), Is.EqualTo(Hits(pages, 2, EvictionPolicy.Lru)));
            Assert.That(Hits(pages, 3, EvictionPolicy.Predicted, horizonS: 0), Is.EqualTo(Hits(pages, 3, EvictionPolicy.Lru)));
        }

        [Test]
        public void TheOracleLooksOnlyAfterNowAndUpToTheHorizon()
        {
            var oracle = new ReuseOracle(Requests(new[] { 1, 2, 1, 3, 3, 1 }));
            ulong a = PrefixKeys.Next(0, 1), c = PrefixKeys.Next(0, 3);
            Assert.That(oracle.ReusedWithin(a, 0, 2), Is.True, "next use at 2, exactly at the horizon's end");
            Assert.That(oracle.ReusedWithin(a, 0, 1.9), Is.False);
            Assert.That(oracle.ReusedWithin(a, 2, 2), Is.False, "the use at 2 is not after 2; the next is at 5");
            Assert.That(oracle.ReusedWithin(a, 2, 3), Is.True);
            Assert.That(oracle.ReusedWithin(c, 3.5, 1), Is.True);
            Assert.That(oracle.ReusedWithin(c, 4, 100), Is.False, "never used after 4");
            Assert.That(oracle.ReusedWithin(PrefixKeys.Next(a, 0), 0, 100), Is.False, "a prompt's last token is never reused, so its block is not indexed");
        }

        [Test]
        public void PredictionsAreWrongAtTheSceneRateFromASeededStream()
        {
            var oracle = new ReuseOracle(Requests(new[] { 1, 1 }));
            ulong a = PrefixKeys.Next(0, 1);
            var first = new ReusePredictor(oracle, 10, 0.3, seed: 5, replica: 0);
            var again = new ReusePredictor(oracle, 10, 0.3, seed: 5, replica: 0);
            int wrong = 0;
            for (int i = 0; i < 10000; i++)
            {
                int bit = first.Predict(a, 0); // the truth is 1: a is used again at 1
                Assert.That(again.Predict(a, 0), Is.EqualTo(bit));
                if (bit == 0) wrong++;
            }
            // Binomial(10000, 0.3): mean 3000, standard deviation 46; 4 deviations either side.
            Assert.That(wrong, Is.InRange(2817, 3183));
            Assert.That(new ReusePredictor(oracle, 10, 0, 5, 0).Predict(a, 0), Is.EqualTo(1));
            Assert.That(new ReusePredictor(oracle, 10, 1, 5, 0).Predict(a, 0), Is.EqualTo(0));
        }

        [Test]
        public void PredictedReuseOutranksEveryTimeButKeepsLruOrderWithinEachBit()
        {
            var blocks = new[]
            {
                new BlockUsage { LastAccessS = 5, PredictedReuse = 1 },
                new BlockUsage { LastAccessS = 90000, PredictedReuse = 0 },
                new BlockUsage { LastAccessS = 4, PredictedReuse = 1 },
                new BlockUsage { LastAccessS = 3, PredictedReuse = 0 },
            };
            var scores = new double[4];
            CpuBackend.Instance.ScoreEviction(EvictionPolicy.Predicted, blocks, 0, scores);
            Assert.That(scores, Is.EqualTo(new[] { 5 + 4294967296.0, 90000, 4 + 4294967296.0, 3 }));
        }
    }
}
