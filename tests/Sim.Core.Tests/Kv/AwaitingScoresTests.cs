using NUnit.Framework;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Kv;
using Sim.Core.Tests.Support;

namespace Sim.Core.Tests.Kv
{
    /// <summary>
    /// Blocks entering an eviction order outside the step's one scoring call (a preemption's releases, a tier's inserts)
    /// wait for their scores until an eviction needs the order; the victims are those of scoring each on arrival.
    /// </summary>
    public class AwaitingScoresTests
    {
        static BlockUsage UsedAt(double lastAccessS) => new BlockUsage { LastAccessS = lastAccessS, CachedAtS = 0, AccessCount = 1, ChainBlocks = 1 };

        [Test]
        public void ATierScoresItsInsertsOnlyWhenAnInsertMustEvict()
        {
            var calls = new ScoringCalls();
            var tier = new KvTier("host", capacityBlocks: 3, bandwidthBytesPerS: 1, EvictionPolicy.Lru, calls);
            Assert.That(tier.Insert(1, UsedAt(5), out _, out _), Is.False);
            Assert.That(tier.Insert(2, UsedAt(1), out _, out _), Is.False);
            Assert.That(tier.Insert(3, UsedAt(1), out _, out _), Is.False);
            Assert.That(tier.TryTake(3, out BlockUsage taken), Is.True, "an awaiting block leaves unscored");
            Assert.That(taken.LastAccessS, Is.EqualTo(1));
            Assert.That(tier.Insert(4, UsedAt(0.5), out _, out _), Is.False);
            Assert.That(calls.Blocks, Is.Empty, "nothing scored while the tier has room");

            // Full: the three waiting (1 at 5 s, 2 at 1 s, 4 at 0.5 s) are scored in one call; LRU takes 4.
            Assert.That(tier.Insert(5, UsedAt(9), out ulong victim, out BlockUsage victimUsage), Is.True);
            Assert.That((victim, victimUsage.LastAccessS), Is.EqualTo((4UL, 0.5)));
            Assert.That(calls.Blocks, Is.EqualTo(new[] { 3 }));
            // Each later evicting insert scores the one before it: 5 (9 s) joins 1 (5 s) and 2 (1 s); 2 goes.
            Assert.That(tier.Insert(6, UsedAt(1), out victim, out _), Is.True);
            Assert.That(victim, Is.EqualTo(2UL));
            // 6 (1 s) is now the oldest; of 1 (5 s), 5 (9 s), 6 (1 s) it goes.
            Assert.That(tier.Insert(7, UsedAt(1), out victim, out _), Is.True);
            Assert.That(victim, Is.EqualTo(6UL));
            Assert.That(calls.Blocks, Is.EqualTo(new[] { 3, 1, 1 }));
            Assert.That((tier.Contains(1), tier.Contains(5), tier.Contains(7), tier.Blocks), Is.EqualTo((true, true, true, 3)));
        }

        [Test]
        public void TiesBetweenAwaitingBlocksLeaveInArrivalOrder()
        {
            var calls = new ScoringCalls();
            var tier = new KvTier("host", capacityBlocks: 2, bandwidthBytesPerS: 1, EvictionPolicy.Lru, calls);
            tier.Insert(8, UsedAt(3), out _, out _);
            tier.Insert(9, UsedAt(3), out _, out _);
            Assert.That(tier.Insert(10, UsedAt(3), out ulong victim, out _), Is.True);
            Assert.That(victim, Is.EqualTo(8UL), "equal scores: the first in goes first");
            Assert.That(tier.Insert(11, UsedAt(3), out victim, out _), Is.True);
            Assert.That(victim, Is.EqualTo(9UL));
        }

        /// <summary>Pools of 512-token pages: each cached block is one page; a 513-token prompt holds a cached block and one more page.</summary>
        static KvBlockPool Pool(int pages, ScoringCalls calls)
        {
            var pool = new KvBlockPool(new World(), 0, pages, 512);
            pool.EnablePrefixCache(EvictionPolicy.Lru, calls, 1000, null, null);
            return pool;
        }

        static KvPageTable Hold(KvBlockPool pool, int firstHash, double nowS)
        {
            var hashIds = new[] { firstHash, 0 };
            PrefixMatch match = pool.Prefix!.Match(hashIds, 513);
            KvPageTable table = KvBlockPool.EmptyTable;
            Assert.That(pool.TryReserve(ref table, 513, match, hashIds, nowS, out ulong lastKey), Is.True);
            int cachedBlocks = match.Blocks;
            pool.Prefix.RegisterComputed(table, hashIds, 513, 513, ref cachedBlocks, ref lastKey, nowS);
            return table;
        }

        [Test]
        public void ReleasesOutsideTheCompletePhaseAreEvictableAndScoredAtTheFirstEviction()
        {
            var calls = new ScoringCalls();
            KvBlockPool pool = Pool(4, calls);
            KvPageTable a = Hold(pool, 1, 0), b = Hold(pool, 2, 0);
            pool.Release(ref b, 2); // released as a preemption would: no complete phase collecting
            pool.Release(ref a, 1);
            Assert.That(calls.Blocks, Is.Empty);
            Assert.That((pool.Prefix!.EvictablePages, pool.FreePages), Is.EqualTo((2, 4)), "both released blocks are evictable before any score");
            Assert.That(pool.Prefix.Match(new[] { 1, 0 }, 513).EvictableHbmBlocks, Is.EqualTo(1));
            Assert.That(pool.Prefix.IndexMatchesPages(out string problem), Is.True, problem);

            // Three pages: the two empty ones, then one eviction, which scores both waiting blocks in one call; LRU
            // takes block 1 (released at 1 s) though block 2 (2 s) was released first.
            KvPageTable unhashed = KvBlockPool.EmptyTable;
            Assert.That(pool.TryReserve(ref unhashed, 3 * 512), Is.True);
            Assert.That(calls.Blocks, Is.EqualTo(new[] { 2 }));
            Assert.That((pool.Prefix.Match(new[] { 1, 0 }, 513).HbmBlocks, pool.Prefix.Match(new[] { 2, 0 }, 513).HbmBlocks), Is.EqualTo((0, 1)));
        }

        [Test]
        public void AReleasedBlockHeldAgainBeforeItsScoreIsNeverScored()
        {
            var calls = new ScoringCalls();
            KvBlockPool pool = Pool(4, calls);
            KvPageTable a = Hold(pool, 1, 0);
            pool.Release(ref a, 1);
            KvPageTable again = Hold(pool, 1, 2);
            Assert.That(pool.Prefix!.EvictablePages, Is.EqualTo(0), "held again: no longer evictable");
            Assert.That(pool.Page(again.Pages[0]).RefCount, Is.EqualTo(1));
            pool.Release(ref again, 3);
            KvPageTable unhashed = KvBlockPool.EmptyTable;
            Assert.That(pool.TryReserve(ref unhashed, 4 * 512), Is.True);
            Assert.That(calls.Blocks, Is.EqualTo(new[] { 1 }), "scored once, for the eviction, with its last release");
            Assert.That(pool.Prefix.CachedBlocks, Is.Zero);
        }
    }
}
