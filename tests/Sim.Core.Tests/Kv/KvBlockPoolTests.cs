using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Kv;

namespace Sim.Core.Tests.Kv
{
    public class KvBlockPoolTests
    {
        [Test]
        public void ReservesWholePagesForTokensAndReleasesThemAll()
        {
            var pool = new KvBlockPool(new World(), 0, pageCount: 10, blockTokens: 16);
            KvPageTable table = KvBlockPool.EmptyTable;
            Assert.That(pool.TryReserve(ref table, 17), Is.True); // 17 tokens need 2 pages of 16
            Assert.That(table.PageCount, Is.EqualTo(2));
            Assert.That(pool.FreePages, Is.EqualTo(8));
            Assert.That(pool.TryReserve(ref table, 32), Is.True); // still 2 pages
            Assert.That(pool.FreePages, Is.EqualTo(8));
            Assert.That(pool.TryReserve(ref table, 33), Is.True);
            Assert.That(table.PageCount, Is.EqualTo(3));
            Assert.That(pool.Page(table.Pages[0]).RefCount, Is.EqualTo(1));
            pool.Release(ref table, 0);
            Assert.That(table.PageCount, Is.EqualTo(0));
            Assert.That(pool.FreePages, Is.EqualTo(10));
            Assert.That(pool.EmptyQueueIsSound(out string problem), Is.True, problem);
        }

        [Test]
        public void ReservationIsAllOrNothing()
        {
            var pool = new KvBlockPool(new World(), 0, pageCount: 4, blockTokens: 16);
            KvPageTable a = KvBlockPool.EmptyTable, b = KvBlockPool.EmptyTable;
            Assert.That(pool.TryReserve(ref a, 48), Is.True);
            Assert.That(pool.TryReserve(ref b, 32), Is.False);
            Assert.That(b.PageCount, Is.EqualTo(0));
            Assert.That(pool.FreePages, Is.EqualTo(1));
        }

        [Test]
        public void FreedPagesGoToTheTailSoTheLongestFreeIsReusedFirst()
        {
            // Pages start free in index order 0..3. A takes 0,1; B takes 2. A frees 0,1 (queue: 3,0,1), so C gets 3 then 0.
            var pool = new KvBlockPool(new World(), 0, pageCount: 4, blockTokens: 1);
            KvPageTable a = KvBlockPool.EmptyTable, b = KvBlockPool.EmptyTable, c = KvBlockPool.EmptyTable;
            pool.TryReserve(ref a, 2);
            pool.TryReserve(ref b, 1);
            pool.Release(ref a, 0);
            pool.TryReserve(ref c, 2);
            Assert.That(c.Pages[0], Is.EqualTo(3));
            Assert.That(c.Pages[1], Is.EqualTo(0));
        }

        [Test]
        public void TheEmptyQueueIsComponentDataARingOfPageIndices()
        {
            // Pages 0..4 start queued in index order in a ring of 8. A takes 0,1,2; releasing A appends 0,1,2 behind 3,4, so
            // the header reads front 3 (ring position), five pages, and the queue runs 3,4,0,1,2 from ring positions 3..7.
            var world = new World();
            Entity holder = world.Create(new KvPoolHeader());
            var pool = new KvBlockPool(world, holder, 0, pageCount: 5, blockTokens: 1) { WatermarkPages = 2 };
            KvPageTable a = KvBlockPool.EmptyTable;
            pool.TryReserve(ref a, 3);
            ref KvPoolHeader header = ref world.Get<KvPoolHeader>(holder);
            Assert.That((header.EmptyRing.Length, header.EmptyFront, header.EmptyCount, header.WatermarkPages), Is.EqualTo((8, 3, 2, 2)));
            pool.Release(ref a, 0);
            header = ref world.Get<KvPoolHeader>(holder);
            Assert.That((header.EmptyFront, header.EmptyCount), Is.EqualTo((3, 5)));
            Assert.That(header.EmptyRing[3..8], Is.EqualTo(new[] { 3, 4, 0, 1, 2 }));
            Assert.That(pool.EmptyQueueIsSound(out string problem), Is.True, problem);
            // Two more cycles wrap the ring: B takes 3,4,0 (positions 3..5), releasing it appends them at positions 0..2.
            KvPageTable b = KvBlockPool.EmptyTable;
            pool.TryReserve(ref b, 3);
            pool.Release(ref b, 0);
            header = ref world.Get<KvPoolHeader>(holder);
            Assert.That((header.EmptyFront, header.EmptyCount), Is.EqualTo((6, 5)));
            Assert.That(new[] { header.EmptyRing[6], header.EmptyRing[7], header.EmptyRing[0], header.EmptyRing[1], header.EmptyRing[2] },
                Is.EqualTo(new[] { 1, 2, 3, 4, 0 }));
            header.EmptyRing[7] = 1; // page 1 queued twice, page 2 lost
            Assert.That(pool.EmptyQueueIsSound(out problem), Is.False);
            Assert.That(problem, Does.Contain("page 1 is in the empty queue twice"));
            header.EmptyRing[7] = 2;
            pool.Page(2).RefCount = 1;
            Assert.That(pool.EmptyQueueIsSound(out problem), Is.False);
            Assert.That(problem, Does.Contain("page 2 in the empty queue is held"));
        }

        [Test]
        public void TheEmptyQueueTakesAndReturnsPagesAsAFirstInFirstOutModelDoes()
        {
            // A plain queue of page indices is the model: random reservations, growths and releases of requests on a pool
            // of 37 pages (a ring of 64, wrapped many times) must hand out exactly the pages the model's front holds, and the
            // pool's queue must read as the model's after every release.
            var world = new World();
            Entity holder = world.Create(new KvPoolHeader());
            var pool = new KvBlockPool(world, holder, 0, pageCount: 37, blockTokens: 4);
            var model = new Queue<int>(Enumerable.Range(0, 37));
            var tables = new KvPageTable[6];
            for (int t = 0; t < tables.Length; t++) tables[t] = KvBlockPool.EmptyTable;
            var random = new Random(7);
            for (int step = 0; step < 4000; step++)
            {
                int t = random.Next(tables.Length);
                ref KvPageTable table = ref tables[t];
                if (random.Next(3) == 0)
                {
                    for (int p = 0; p < table.PageCount; p++) model.Enqueue(table.Pages[p]);
                    pool.Release(ref table, 0);
                    Assert.That(QueueOf(world.Get<KvPoolHeader>(holder)), Is.EqualTo(model.ToArray()), "after a release, step " + step);
                    continue;
                }
                int tokens = table.PageCount * 4 + random.Next(1, 30);
                int before = table.PageCount;
                bool fits = pool.PagesFor(tokens) - before <= model.Count;
                Assert.That(pool.TryReserve(ref table, tokens), Is.EqualTo(fits), "step " + step);
                if (!fits) continue;
                for (int p = before; p < table.PageCount; p++)
                {
                    Assert.That(table.Pages[p], Is.EqualTo(model.Dequeue()), "page " + p + " of the reservation at step " + step);
                    Assert.That(pool.Page(table.Pages[p]).RefCount, Is.EqualTo(1));
                }
            }
            Assert.That(pool.EmptyQueueIsSound(out string problem), Is.True, problem);
        }

        static int[] QueueOf(in KvPoolHeader header)
        {
            var pages = new int[header.EmptyCount];
            for (int i = 0; i < pages.Length; i++) pages[i] = header.EmptyRing[(header.EmptyFront + i) % header.EmptyRing.Length];
            return pages;
        }

        [Test]
        public void TakingTheEmptyFrontPageIsTheOnePageReservation()
        {
            // Blocks of 4 tokens, pages queued 0..5. Both pools: A takes 0,1 (8 tokens), B takes 2, A releases (queue 3,4,5,0,1).
            // B at 5 tokens needs page 3; then A's empty table takes 4 and B at 9 tokens takes 5, leaving 0,1 queued.
            var reserved = new KvBlockPool(new World(), 0, pageCount: 6, blockTokens: 4);
            var taken = new KvBlockPool(new World(), 0, pageCount: 6, blockTokens: 4);
            KvPageTable ra = KvBlockPool.EmptyTable, rb = KvBlockPool.EmptyTable, ta = KvBlockPool.EmptyTable, tb = KvBlockPool.EmptyTable;
            foreach ((KvBlockPool pool, bool take) in new[] { (reserved, false), (taken, true) })
            {
                ref KvPageTable a = ref take ? ref ta : ref ra;
                ref KvPageTable b = ref take ? ref tb : ref rb;
                pool.TryReserve(ref a, 8);
                pool.TryReserve(ref b, 4);
                pool.Release(ref a, 0);
                if (take)
                {
                    EmptyPageQueue empty = pool.EmptyQueue;
                    pool.TakeEmptyPage(ref b, empty);
                    pool.TakeEmptyPage(ref a, empty);
                    pool.TakeEmptyPage(ref b, empty);
                }
                else
                {
                    pool.TryReserve(ref b, 5);
                    pool.TryReserve(ref a, 1);
                    pool.TryReserve(ref b, 9);
                }
            }
            Assert.That(tb.Pages[..tb.PageCount], Is.EqualTo(new[] { 2, 3, 5 }));
            Assert.That(ta.Pages[..ta.PageCount], Is.EqualTo(new[] { 4 }));
            Assert.That(rb.Pages[..rb.PageCount], Is.EqualTo(tb.Pages[..tb.PageCount]));
            Assert.That(ra.Pages[..ra.PageCount], Is.EqualTo(ta.Pages[..ta.PageCount]));
            Assert.That((taken.FreePages, taken.Page(4).RefCount), Is.EqualTo((2, 1)));
            Assert.That(taken.EmptyQueueIsSound(out string problem), Is.True, problem);
            for (int page = 0; page < 6; page++)
                Assert.That(taken.Page(page).RefCount, Is.EqualTo(reserved.Page(page).RefCount), "page " + page);
        }

        [Test]
        public void PageTablesGrowPastTheirFirstArray()
        {
            var pool = new KvBlockPool(new World(), 0, pageCount: 100, blockTokens: 1);
            KvPageTable table = KvBlockPool.EmptyTable;
            for (int tokens = 1; tokens <= 100; tokens++)
                Assert.That(pool.TryReserve(ref table, tokens), Is.True);
            for (int i = 0; i < 100; i++)
                Assert.That(table.Pages[i], Is.EqualTo(i), "pages come off the empty queue in index order");
        }

        [Test]
        public void AReservationRentsItsWholeTableAtOnceAndTakesTheQueueFrontInOrder()
        {
            // 70 pages of 1 token, 0..69 queued in index order. 5 taken and released put 0..4 behind 5..69. A table for
            // 66 tokens then takes 5..69, 0: one array of the power of two that holds 66, 128.
            var pool = new KvBlockPool(new World(), 0, pageCount: 70, blockTokens: 1);
            KvPageTable first = KvBlockPool.EmptyTable;
            pool.TryReserve(ref first, 5);
            pool.Release(ref first, 0);
            KvPageTable table = KvBlockPool.EmptyTable;
            Assert.That(pool.TryReserve(ref table, 66), Is.True);
            Assert.That(table.Pages.Length, Is.EqualTo(128));
            for (int i = 0; i < 65; i++) Assert.That(table.Pages[i], Is.EqualTo(i + 5));
            Assert.That(table.Pages[65], Is.EqualTo(0));
            for (int i = 0; i < 66; i++) Assert.That(pool.Page(table.Pages[i]).RefCount, Is.EqualTo(1));
            Assert.That(pool.EmptyPages, Is.EqualTo(4));
            Assert.That(pool.EmptyQueueIsSound(out string problem), Is.True, problem);
            // Releasing appends the table's pages behind 1..4 in table order.
            pool.Release(ref table, 0);
            KvPageTable all = KvBlockPool.EmptyTable;
            Assert.That(pool.TryReserve(ref all, 70), Is.True);
            Assert.That(all.Pages[0..6], Is.EqualTo(new[] { 1, 2, 3, 4, 5, 6 }));
            Assert.That(all.Pages[69], Is.EqualTo(0));
        }

        [Test]
        public void ARentedTableIsAFreeArrayOfTheSizeOrElseALargerOne()
        {
            // Tables of 100 and 3 pages end, leaving a free array of 128 and one of 4; a table of 5 pages then takes the 128,
            // there being no free 8, rather than making one.
            var pool = new KvBlockPool(new World(), 0, pageCount: 200, blockTokens: 1);
            KvPageTable large = KvBlockPool.EmptyTable, small = KvBlockPool.EmptyTable;
            pool.TryReserve(ref large, 100);
            pool.TryReserve(ref small, 3);
            int[] largeArray = large.Pages;
            pool.Release(ref large, 0);
            pool.Release(ref small, 0);
            KvPageTable next = KvBlockPool.EmptyTable;
            pool.TryReserve(ref next, 5);
            Assert.That(next.Pages, Is.SameAs(largeArray));
        }

        [Test]
        public void PagesArePermanentEntities()
        {
            var world = new World();
            var pool = new KvBlockPool(world, 2, pageCount: 5, blockTokens: 16);
            Assert.That(world.CountEntities(new QueryDescription().WithAll<KvPage>()), Is.EqualTo(5));
            KvPageTable t = KvBlockPool.EmptyTable;
            pool.TryReserve(ref t, 80);
            pool.Release(ref t, 0);
            Assert.That(world.Size, Is.EqualTo(6), "five pages and the entity holding the pool's header");
            Assert.That(world.Get<KvPage>(pool.PageEntity(4)).Replica, Is.EqualTo(2));
        }

        [Test]
        public void AdmissionLeavesTheWatermarkFreeButLaterGrowthMayUseIt()
        {
            // 100 pages, 10 kept free: after 50 taken, a request of 41 pages (656 tokens) would leave 9 and waits; 40 fits.
            var pool = new KvBlockPool(new World(), 0, pageCount: 100, blockTokens: 16) { WatermarkPages = 10 };
            KvPageTable a = KvBlockPool.EmptyTable, b = KvBlockPool.EmptyTable;
            Assert.That(pool.TryReserve(ref a, 800, default, null, 0, out _), Is.True);
            Assert.That(pool.TryReserve(ref b, 656, default, null, 0, out _), Is.False);
            Assert.That(pool.FreePages, Is.EqualTo(50));
            Assert.That(pool.TryReserve(ref b, 640, default, null, 0, out _), Is.True);
            // A running request grows into the watermark: 10 pages more for a.
            Assert.That(pool.TryReserve(ref a, 960), Is.True);
            Assert.That(pool.FreePages, Is.EqualTo(0));
            // A request of 95 pages can never leave 10 free; on an empty pool it may take them.
            var small = new KvBlockPool(new World(), 0, pageCount: 100, blockTokens: 16) { WatermarkPages = 10 };
            KvPageTable c = KvBlockPool.EmptyTable;
            Assert.That(small.TryReserve(ref c, 95 * 16, default, null, 0, out _), Is.True);
        }
    }
}
