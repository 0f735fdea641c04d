using NUnit.Framework;
using Sim.Core.Components;
using Sim.Core.Compute;
using Sim.Core.Ecs;
using Sim.Core.Kv;

namespace Sim.Core.Tests.Kv
{
    /// <summary>
    /// The prefix cache on pools of 512-token pages, so each cached block is one page and every expectation can be
    /// read off the hash lists (block i of a prompt is keyed by its first i+1 hash ids).
    /// </summary>
    public class PrefixCacheTests
    {
        const int Block = 512;
        const double PageBytes = 1000;

        static KvBlockPool Pool(int pages, EvictionPolicy policy = EvictionPolicy.Lru, KvTier? host = null, KvTier? ssd = null)
        {
            var pool = new KvBlockPool(new World(), 0, pages, Block);
            pool.EnablePrefixCache(policy, CpuBackend.Instance, PageBytes, host, ssd);
            return pool;
        }

        /// <summary>A request's prefill: reuse what is cached, compute the rest, index the whole blocks. Returns its held table.</summary>
        static KvPageTable Prefill(KvBlockPool pool, int[] hashIds, int promptTokens, double nowS, out PrefixMatch match)
        {
            match = pool.Prefix!.Match(hashIds, promptTokens);
            KvPageTable table = KvBlockPool.EmptyTable;
            Assert.That(pool.TryReserve(ref table, promptTokens, match, hashIds, nowS, out ulong lastKey), Is.True);
            int cachedBlocks = match.Blocks;
            pool.Prefix.RegisterComputed(table, hashIds, promptTokens, promptTokens, ref cachedBlocks, ref lastKey, nowS);
            return table;
        }

        static void Serve(KvBlockPool pool, int[] hashIds, int promptTokens, double startS, double endS)
        {
            KvPageTable table = Prefill(pool, hashIds, promptTokens, startS, out _);
            pool.Release(ref table, endS);
        }

        static int CachedLeadingBlocks(KvBlockPool pool, params int[] hashIds) => pool.Prefix!.Match(hashIds, hashIds.Length * Block + 1).Blocks;

        [Test]
        public void BlocksAreComponentDataOnBlockEntities()
        {
            // 256-token pages, two a block; six pages hold three blocks. A 1025-token prompt takes pages 0..4 and caches
            // blocks 0 (pages 0,1) and 1 (pages 2,3), the top two of the unused stack; block 2 stays unused on top.
            var world = new World();
            Entity holder = world.Create(new KvPoolHeader());
            var pool = new KvBlockPool(world, holder, 0, 6, 256);
            pool.EnablePrefixCache(EvictionPolicy.Lru, CpuBackend.Instance, PageBytes, null, null);
            Assert.That(world.CountEntities(new QueryDescription().WithAll<PrefixBlock>()), Is.EqualTo(3));
            Serve(pool, new[] { 1, 2, 3 }, 1025, 0, 1);
            PrefixBlock[] blocks = Blocks(world);
            Assert.That((blocks[0].Key, blocks[1].Key), Is.EqualTo((PrefixKeys.Next(0, 1), PrefixKeys.Next(PrefixKeys.Next(0, 1), 2))));
            Assert.That(blocks[0].Pages, Is.EqualTo(new[] { 0, 1 }));
            Assert.That(blocks[1].Pages, Is.EqualTo(new[] { 2, 3 }));
            Assert.That((pool.Page(1).ContentKey, pool.Page(4).ContentKey), Is.EqualTo((blocks[0].Key, 0UL)));
            Assert.That((blocks[2].Key, world.Get<KvPoolHeader>(holder).FreeBlock), Is.EqualTo((0UL, 2)));
            // Four new pages: the empty 5 and 4, then LRU evicts the deeper block 1 (released with block 0, pushed first),
            // whose pages 2 and 3 come back empty, in block order, and are taken; block 1 returns to the top of the unused stack.
            KvPageTable table = KvBlockPool.EmptyTable;
            Assert.That(pool.TryReserve(ref table, 1024), Is.True);
            Assert.That(new[] { table.Pages[0], table.Pages[1], table.Pages[2], table.Pages[3] }, Is.EqualTo(new[] { 5, 4, 2, 3 }));
            blocks = Blocks(world);
            Assert.That((blocks[1].Key, blocks[1].NextFree, world.Get<KvPoolHeader>(holder).FreeBlock), Is.EqualTo((0UL, 2, 1)));
            Assert.That((pool.Page(2).ContentKey, pool.Page(3).ContentKey, pool.Page(0).ContentKey), Is.EqualTo((0UL, 0UL, blocks[0].Key)));
            Assert.That(pool.Prefix!.IndexMatchesPages(out string problem), Is.True, problem);
        }

        static PrefixBlock[] Blocks(World world)
        {
            var blocks = new PrefixBlock[world.CountEntities(new QueryDescription().WithAll<PrefixBlock>())];
            foreach (Chunk chunk in world.GetChunks(new QueryDescription().WithAll<PrefixBlock>()))
                foreach (PrefixBlock block in chunk.GetSpan<PrefixBlock>()) blocks[block.Index] = block;
            return blocks;
        }

        [Test]
        public void OnlyTheSameLeadingBlocksAreReused()
        {
            var pool = Pool(8);
            // 1537 tokens: three full pages and one token; the full pages are cached.
            Serve(pool, new[] { 1, 2, 3, 4 }, 1537, 0, 1);
            Assert.That(pool.Prefix!.CachedBlocks, Is.EqualTo(3));
            Assert.That(CachedLeadingBlocks(pool, 1, 2, 3, 9), Is.EqualTo(3));
            Assert.That(CachedLeadingBlocks(pool, 1, 2, 9), Is.EqualTo(2));
            Assert.That(CachedLeadingBlocks(pool, 1, 9, 3), Is.EqualTo(1), "block 3 after a different block 2 is different content");
            Assert.That(CachedLeadingBlocks(pool, 2, 3), Is.EqualTo(0));
        }

        [Test]
        public void TheLastPromptTokenIsAlwaysComputed()
        {
            var pool = Pool(8);
            Serve(pool, new[] { 1, 2 }, 1024, 0, 1);
            // A prompt of exactly the cached 1024 tokens reuses one page: its last token must produce the first output.
            PrefixMatch match = pool.Prefix!.Match(new[] { 1, 2 }, 1024);
            Assert.That((match.Blocks, match.Tokens), Is.EqualTo((1, 512)));
            Assert.That(pool.Prefix.Match(new[] { 1, 2, 3 }, 1025).Tokens, Is.EqualTo(1024));
        }

        [Test]
        public void SharedPagesAreHeldByEveryRequestUsingThem()
        {
            var pool = Pool(8);
            KvPageTable a = Prefill(pool, new[] { 1, 2, 3 }, 1536, 0, out _);
            KvPageTable b = Prefill(pool, new[] { 1, 2, 7 }, 1536, 1, out PrefixMatch match);
            Assert.That((match.Blocks, match.HbmBlocks, match.EvictableHbmBlocks), Is.EqualTo((2, 2, 0)));
            Assert.That(b.Pages[0], Is.EqualTo(a.Pages[0]));
            Assert.That(b.Pages[1], Is.EqualTo(a.Pages[1]));
            Assert.That(pool.Page(a.Pages[0]).RefCount, Is.EqualTo(2));
            Assert.That(pool.UsedPages, Is.EqualTo(4), "3 pages of a, 1 more of b");
            pool.Release(ref a, 2);
            Assert.That(pool.Page(b.Pages[0]).RefCount, Is.EqualTo(1));
            Assert.That((pool.UsedPages, pool.EmptyPages, pool.Prefix!.EvictablePages), Is.EqualTo((3, 4, 1)), "a's third page stays cached, unheld");
        }

        [Test]
        public void ReusingAnUnheldCachedPageTakesItOutOfTheFreePages()
        {
            var pool = Pool(3);
            Serve(pool, new[] { 1, 2 }, 1024, 0, 1); // pages 0,1 cached and unheld; page 2 empty
            Assert.That(pool.FreePages, Is.EqualTo(3));
            // Reusing 1 cached page leaves 2 free, so 2 more pages fit (3 in all) but 3 more do not.
            PrefixMatch match = pool.Prefix!.Match(new[] { 1, 5, 6, 7 }, 2048);
            Assert.That((match.Blocks, match.EvictableHbmBlocks), Is.EqualTo((1, 1)));
            KvPageTable tooBig = KvBlockPool.EmptyTable;
            Assert.That(pool.TryReserve(ref tooBig, 2048, match, new[] { 1, 5, 6, 7 }, 2, out _), Is.False);
            Assert.That((tooBig.PageCount, pool.FreePages), Is.EqualTo((0, 3)), "a failed reservation changes nothing");
            KvPageTable fits = KvBlockPool.EmptyTable;
            Assert.That(pool.TryReserve(ref fits, 1536, match, new[] { 1, 5, 6, 7 }, 2, out _), Is.True);
            Assert.That(pool.FreePages, Is.EqualTo(0));
        }

        // Three 513-token prompts (one cacheable page and one more) cached at t=0,1,2 and released at t=10,11,12 in a
        // pool of 4 pages, leaving 3 cached pages and 1 empty; a reuse takes the empty page for its second page. A
        // three-page unhashed prompt then takes the empty page and evicts 2. Survivors worked out per policy.
        static KvBlockPool ThreeCachedThenEvictTwo(EvictionPolicy policy, bool reuseFirstTwice)
        {
            var pool = Pool(4, policy);
            Serve(pool, new[] { 10, 0 }, 513, 0, 10);
            Serve(pool, new[] { 20, 0 }, 513, 1, 11);
            Serve(pool, new[] { 30, 0 }, 513, 2, 12);
            if (reuseFirstTwice)
            {
                Serve(pool, new[] { 10, 0 }, 513, 13, 14);
                Serve(pool, new[] { 10, 0 }, 513, 15, 16);
            }
            KvPageTable unhashed = KvBlockPool.EmptyTable;
            Assert.That(pool.TryReserve(ref unhashed, 1536), Is.True);
            return pool;
        }

        [TestCase(EvictionPolicy.Lru, false, 30, Description = "last used at 10, 11, 12: the two oldest go")]
        [TestCase(EvictionPolicy.Lru, true, 10, Description = "10 was used again at 16: 20 and 30 are older")]
        [TestCase(EvictionPolicy.Fifo, true, 30, Description = "cached at 0, 1, 2: reuse does not matter")]
        [TestCase(EvictionPolicy.Lfu, true, 10, Description = "10 was used 3 times, the others once")]
        [TestCase(EvictionPolicy.Lfu, false, 30, Description = "all used once: ties leave in the order they became unheld")]
        public void EvictionKeepsTheHighestScoredPage(EvictionPolicy policy, bool reuseFirstTwice, int survivor)
        {
            KvBlockPool pool = ThreeCachedThenEvictTwo(policy, reuseFirstTwice);
            Assert.That(pool.Prefix!.CachedBlocks, Is.EqualTo(1));
            Assert.That(CachedLeadingBlocks(pool, survivor, 0), Is.EqualTo(1));
        }

        [TestCase(EvictionPolicy.SizeAware, 1, 3)]
        [TestCase(EvictionPolicy.Lru, 0, 4)]
        public void SizeAwareEvictsTheLongPromptBeforeTheShortOne(EvictionPolicy policy, int shortPagesLeft, int longPagesLeft)
        {
            // A 1-page prompt (score 1/1) released at t=1, then a 4-page prompt (score 1/4 per page) released at t=5,
            // each with one more uncacheable page, in a pool of 6: one page stays empty. Two more pages take it and
            // evict one: size-aware picks the long prompt's deepest page, where LRU would pick the short prompt's.
            var pool = Pool(6, policy);
            Serve(pool, new[] { 9, 0 }, 513, 0, 1);
            Serve(pool, new[] { 1, 2, 3, 4, 0 }, 2049, 2, 5);
            KvPageTable unhashed = KvBlockPool.EmptyTable;
            Assert.That(pool.TryReserve(ref unhashed, 1024), Is.True);
            Assert.That(CachedLeadingBlocks(pool, 9, 0), Is.EqualTo(shortPagesLeft));
            Assert.That(CachedLeadingBlocks(pool, 1, 2, 3, 4), Is.EqualTo(longPagesLeft), "the deepest page of a prompt goes first");
        }

        [Test]
        public void EvictedPagesMoveDownTheTiersAndComeBackAtTheirBandwidth()
        {
            var host = new KvTier("host", capacityBlocks: 1, bandwidthBytesPerS: 1000, EvictionPolicy.Lru, CpuBackend.Instance);
            var ssd = new KvTier("ssd", capacityBlocks: 1, bandwidthBytesPerS: 100, EvictionPolicy.Lru, CpuBackend.Instance);
            KvBlockPool pool = Pool(2, EvictionPolicy.Lru, host, ssd); // each prompt's second page is uncacheable
            Serve(pool, new[] { 10, 0 }, 513, 0, 1);
            Serve(pool, new[] { 20, 0 }, 513, 2, 3); // evicts 10 to host
            Serve(pool, new[] { 30, 0 }, 513, 4, 5); // evicts 20 to host, pushing 10 to SSD
            Assert.That((pool.Prefix!.CachedBlocks, host.Blocks, ssd.Blocks), Is.EqualTo((1, 1, 1)));

            PrefixMatch fromSsd = pool.Prefix.Match(new[] { 10, 0 }, 513);
            Assert.That((fromSsd.Blocks, fromSsd.SsdBlocks, fromSsd.HostBlocks, fromSsd.HbmBlocks), Is.EqualTo((1, 1, 0, 0)));
            Assert.That(fromSsd.TransferS, Is.EqualTo(PageBytes / 100));
            PrefixMatch fromHost = pool.Prefix.Match(new[] { 20, 0 }, 513);
            Assert.That((fromHost.HostBlocks, fromHost.TransferS), Is.EqualTo((1, PageBytes / 1000)));

            // Pulling 10 up evicts 30 to host, which pushes 20 down to SSD (10 left it, so there is room).
            KvPageTable table = Prefill(pool, new[] { 10, 0 }, 513, 6, out _);
            Assert.That(pool.Page(table.Pages[0]).ContentKey, Is.Not.EqualTo(0UL));
            Assert.That(ssd.Blocks + host.Blocks, Is.EqualTo(2));
            Assert.That(pool.Prefix.Match(new[] { 30, 0 }, 513).HostBlocks, Is.EqualTo(1));
            Assert.That(pool.Prefix.Match(new[] { 20, 0 }, 513).SsdBlocks, Is.EqualTo(1));
        }
    }
}
