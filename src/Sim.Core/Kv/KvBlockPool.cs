using System;
using System.Runtime.CompilerServices;
using Sim.Core.Components;
using Sim.Core.Compute;
using Sim.Core.Ecs;
using Sim.Core.Snapshots;

namespace Sim.Core.Kv
{
    /// <summary>
    /// One replica's physical KV pages: reference counts, page tables, and the queue of empty pages (vLLM's free
    /// block queue: allocate from the head, free to the tail; component data, see <see cref="EmptyPageQueue"/>). With a
    /// <see cref="PrefixCache"/>, pages whose content is cached stay out of the queue when released and are evicted only
    /// when no empty page is left. The pages are permanent entities; this class only rewrites their fields.
    /// </summary>
    public sealed class KvBlockPool : ISnapshotState
    {

        readonly World _world;
        readonly Entity _holder;
        readonly Entity[] _pages;
        // The pages' components by index, without an entity lookup each: they are made one after another and never move.
        readonly EntityRun<KvPage> _pageRun;
        readonly PageListPool _lists = new PageListPool();

        /// <summary>A pool whose <see cref="KvPoolHeader"/> lives on an entity of its own: a pool outside a cluster (tests, benchmarks).</summary>
        public KvBlockPool(World world, int replica, int pageCount, int blockTokens)
            : this(world, world.Create(new KvPoolHeader()), replica, pageCount, blockTokens)
        {
        }

        /// <param name="holder">The entity holding the pool's <see cref="KvPoolHeader"/>: the replica's.</param>
        public KvBlockPool(World world, Entity holder, int replica, int pageCount, int blockTokens)
        {
            if (pageCount <= 0) throw new ArgumentOutOfRangeException(nameof(pageCount), "a replica needs at least one KV page");
            if (blockTokens <= 0) throw new ArgumentOutOfRangeException(nameof(blockTokens));
            BlockTokens = blockTokens;
            _world = world;
            _holder = holder;
            Replica = replica;
            _pages = new Entity[pageCount];
            for (int i = 0; i < pageCount; i++)
                _pages[i] = world.Create(new KvPage { Replica = replica, Index = i });
            _pageRun = new EntityRun<KvPage>(world, _pages);
            // Every page starts empty, queued in index order.
            int ringLength = 1;
            while (ringLength < pageCount) ringLength *= 2;
            var ring = new int[ringLength];
            for (int i = 0; i < pageCount; i++) ring[i] = i;
            world.Get<KvPoolHeader>(holder) = new KvPoolHeader { EmptyRing = ring, EmptyFront = 0, EmptyCount = pageCount, FreeBlock = -1 };
        }

        public int BlockTokens { get; }

        public int Replica { get; }

        /// <summary>The pool's header on its holder entity (the prefix cache keeps its stack of unused blocks there).</summary>
        internal ref KvPoolHeader Header => ref Empty.Header;

        public int TotalPages => _pages.Length;

        /// <summary>Pages holding nothing.</summary>
        public int EmptyPages => Empty.Count;

        /// <summary>Pages a reservation may take: empty ones and those of unheld cached blocks.</summary>
        public int FreePages => EmptyPages + (Prefix?.EvictablePages ?? 0);

        /// <summary>Pages some request holds.</summary>
        public int UsedPages => _pages.Length - FreePages;

        /// <summary>
        /// Pages an admission leaves free (vLLM v0's block-manager watermark, <c>int(watermark × blocks)</c>), so the
        /// running requests' next decodes find pages instead of being preempted by a prompt just let in.
        /// </summary>
        public int WatermarkPages
        {
            get => Empty.Header.WatermarkPages;
            set => Empty.Header.WatermarkPages = value;
        }

        /// <summary>The prefix cache over these pages; null when prefix caching is off.</summary>
        public PrefixCache? Prefix { get; private set; }

        /// <param name="predictor">The workload ahead, for <see cref="EvictionPolicy.Predicted"/> and <see cref="EvictionPolicy.Belady"/>; null for the other policies.</param>
        public void EnablePrefixCache(EvictionPolicy policy, IComputeBackend backend, double pageBytes, KvTier? host, KvTier? ssd, ReusePredictor? predictor = null)
        {
            if (UsedPages != 0) throw new InvalidOperationException("turn prefix caching on before any page is used");
            if (policy.ReadsFuture() != (predictor != null)) throw new ArgumentException("predicted and belady eviction, and only they, need a reuse predictor", nameof(predictor));
            Prefix = new PrefixCache(this, _world, Replica, policy, backend, pageBytes, host, ssd, predictor);
        }

        /// <summary>The prefix cache; the pages and the empty-page queue are the world's.</summary>
        void ISnapshotState.Save(SnapshotWriter writer)
        {
            if (Prefix != null) ((ISnapshotState)Prefix).Save(writer);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            if (Prefix != null) ((ISnapshotState)Prefix).Load(reader);
        }

        EmptyPageQueue Empty
        {
            get
            {
                KvPoolHeader[] headers = _world.Locate(_holder, out int row).Column<KvPoolHeader>();
                return new EmptyPageQueue(headers, row, _pageRun.Columns());
            }
        }

        public Entity PageEntity(int index) => _pages[index];

        /// <summary>Page <paramref name="index"/>'s component.</summary>
        public ref KvPage Page(int index) => ref _pageRun.Columns()[index];

        /// <summary>Pages needed to hold <paramref name="tokens"/> tokens.</summary>
        public int PagesFor(int tokens) => (tokens + BlockTokens - 1) / BlockTokens;

        public static KvPageTable EmptyTable => new KvPageTable { Pages = Array.Empty<int>(), PackedPages = Array.Empty<int>() };

        // Inlined where called: a running request's next token mostly fits the pages it holds (ceil(tokens / B) <= pages
        // exactly when tokens <= pages * B), and then it costs a multiplication, not a call and a division.
        /// <summary>
        /// Grows <paramref name="table"/> to hold <paramref name="tokens"/> tokens, all or nothing.
        /// Returns false, changing nothing, when too few pages are free.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool TryReserve(ref KvPageTable table, int tokens) => tokens <= table.PageCount * BlockTokens || TryGrow(ref table, tokens);

        bool TryGrow(ref KvPageTable table, int tokens)
        {
            int needed = PagesFor(tokens);
            int count = table.PageCount;
            EmptyPageQueue empty = Empty;
            if (needed - count > empty.Count + (Prefix?.EvictablePages ?? 0)) return false;
            EnsureRoom(ref table, needed);
            int[] pages = table.Pages;
            // Empty pages first, in queue order; then (with a prefix cache) each further page evicts a cached block.
            int fromQueue = Math.Min(needed - count, empty.Count);
            empty.TakeFront(fromQueue, pages, count);
            count += fromQueue;
            while (count < needed) pages[count++] = TakePage(empty);
            table.PageCount = count;
            return true;
        }

        /// <summary>The empty-page queue, for a run of <see cref="TakeEmptyPage"/> calls that creates and destroys no entity (one lookup for the run).</summary>
        internal EmptyPageQueue EmptyQueue => Empty;

        /// <summary>
        /// Appends the front empty page of <paramref name="empty"/> to <paramref name="table"/>, held once: a decode whose context
        /// fills its last page, in a pool without a prefix cache, as <see cref="TryReserve(ref KvPageTable, int)"/> for its one more
        /// page would do it; the caller has checked that a page is empty.
        /// </summary>
        internal void TakeEmptyPage(ref KvPageTable table, in EmptyPageQueue empty)
        {
            EnsureRoom(ref table, table.PageCount + 1);
            ref KvPage page = ref empty.PopFront();
            page.RefCount = 1;
            table.Pages[table.PageCount++] = page.Index;
        }

        /// <summary>
        /// Whether the reservation below would succeed: the pages <paramref name="table"/> lacks for <paramref name="tokens"/>
        /// tokens, less the cached pages of <paramref name="match"/>, fit the free pages and leave <see cref="WatermarkPages"/>
        /// free. Once false it stays false while free pages do not grow.
        /// </summary>
        public bool Fits(in KvPageTable table, int tokens, in PrefixMatch match)
        {
            // A request too large to ever leave the watermark free would wait forever (vLLM v0 ignores it); it may use those pages.
            int keepFree = Math.Max(0, Math.Min(WatermarkPages, TotalPages - PagesFor(tokens)));
            int pagesPerBlock = Prefix?.PagesPerBlock ?? 1;
            // Reused HBM pages cost nothing new, but those that were evictable stop being free.
            int newPages = PagesFor(tokens) - table.PageCount - match.HbmBlocks * pagesPerBlock;
            return newPages <= 0 || newPages <= FreePages - match.EvictableHbmBlocks * pagesPerBlock - keepFree;
        }

        /// <summary>
        /// Admits a waiting request: fills an empty <paramref name="table"/> with the cached pages of <paramref name="match"/>,
        /// then grows it to <paramref name="tokens"/> tokens, leaving <see cref="WatermarkPages"/> free; all or nothing.
        /// Returns the content key of the last reused page (0 for none).
        /// </summary>
        public bool TryReserve(ref KvPageTable table, int tokens, in PrefixMatch match, int[]? hashIds, double nowS, out ulong lastReusedKey)
        {
            lastReusedKey = 0;
            if (!Fits(table, tokens, match)) return false;
            if (match.Blocks == 0) return TryReserve(ref table, tokens);
            if (table.PageCount != 0) throw new InvalidOperationException("cached pages are reused only by a request that holds none");
            lastReusedKey = Prefix!.Attach(ref table, match, hashIds!, nowS);
            return TryReserve(ref table, tokens);
        }

        /// <summary>
        /// Gives back the pages of <paramref name="table"/> past the first <paramref name="tokens"/> tokens (speculative
        /// decoding's rejected drafts). Those pages hold generated tokens, never cached prompt blocks.
        /// </summary>
        public void ShrinkTo(ref KvPageTable table, int tokens)
        {
            int keep = PagesFor(tokens);
            EmptyPageQueue empty = Empty;
            while (table.PageCount > keep)
            {
                ref KvPage page = ref empty.Pages[table.Pages[--table.PageCount]];
                if (--page.RefCount == 0) empty.PushBack(ref page);
            }
        }

        /// <summary>Drops the request's hold on every page of <paramref name="table"/>; pages nobody holds are freed or left cached.</summary>
        public void Release(ref KvPageTable table, double nowS)
        {
            EmptyPageQueue empty = Empty;
            RunColumns<KvPage> pages = empty.Pages;
            int[] held = table.Pages;
            // The freed pages are written behind the queue's back as they are found and counted in together.
            int[] ring = empty.Back(out int back);
            int count = table.PageCount;
            empty.CountIn(Prefix == null ? FreeUncached(held, count, pages, ring, back) : Free(held, count, pages, ring, back));
            Prefix?.FlushReleased(nowS);
            while (table.PackedCount > 0) ReleasePackedPage(ref table);
            _lists.Return(held);
            _lists.Return(table.PackedPages);
            table = EmptyTable;
        }

        /// <summary>
        /// Drops a hold on each of the first <paramref name="count"/> pages of <paramref name="held"/>, writing those nobody
        /// holds behind the empty queue's back (<paramref name="ring"/> from <paramref name="back"/>); returns how many.
        /// </summary>
        int Free(int[] held, int count, RunColumns<KvPage> pages, int[] ring, int back)
        {
            int mask = ring.Length - 1, freed = 0;
            for (int i = 0; i < count; i++)
            {
                int index = held[i];
                if (index < 0) continue; // freed already by token-level eviction
                ref KvPage page = ref pages[index];
                if (--page.RefCount > 0) continue;
                // A cached block's pages sit block-aligned in every table that holds them, and lose their holders together.
                if (page.ContentKey == 0) ring[(back + freed++) & mask] = index;
                else if (i % Prefix!.PagesPerBlock == 0) Prefix.Released(page.ContentKey);
            }
            return freed;
        }

        /// <summary>
        /// <see cref="Free"/> without a prefix cache, where no page holds content and each held page has one holder (only the
        /// prefix cache shares a page): every held page is freed, the same pages in the same order, by a loop with no call and
        /// no read of a page in it, so its values stay in registers (a finished request's ~78 pages go this way).
        /// </summary>
        static int FreeUncached(int[] held, int count, RunColumns<KvPage> pages, int[] ring, int back)
        {
            int mask = ring.Length - 1, freed = 0;
            for (int i = 0; i < count; i++)
            {
                int index = held[i];
                if (index < 0) continue; // freed already by token-level eviction
                pages[index].RefCount = 0;
                ring[(back + freed++) & mask] = index;
            }
            return freed;
        }

        /// <summary>
        /// Token mode: the page in <paramref name="slot"/> of the table lost its last token, so the request lets go of it;
        /// the slot stays (positions keep their pages) but holds -1.
        /// </summary>
        public void ReleasePage(ref KvPageTable table, int slot)
        {
            EmptyPageQueue empty = Empty;
            ref KvPage page = ref empty.Pages[table.Pages[slot]];
            table.Pages[slot] = -1;
            if (--page.RefCount == 0) empty.PushBack(ref page);
        }

        /// <summary>Token mode with mixed precision: one more page for packed low-precision tokens; false when none is free.</summary>
        public bool TryTakePackedPage(ref KvPageTable table)
        {
            if (FreePages == 0) return false;
            if (table.PackedCount == table.PackedPages.Length)
            {
                int[] grown = _lists.Rent(table.PackedCount + 1);
                Array.Copy(table.PackedPages, grown, table.PackedCount);
                _lists.Return(table.PackedPages);
                table.PackedPages = grown;
            }
            table.PackedPages[table.PackedCount++] = TakePage();
            return true;
        }

        /// <summary>Gives back the last packed page.</summary>
        public void ReleasePackedPage(ref KvPageTable table)
        {
            EmptyPageQueue empty = Empty;
            ref KvPage page = ref empty.Pages[table.PackedPages[--table.PackedCount]];
            if (--page.RefCount == 0) empty.PushBack(ref page);
        }

        /// <summary>An empty page, evicting the lowest-scored unheld cached block first when none is; held once.</summary>
        internal int TakePage() => TakePage(Empty);

        int TakePage(in EmptyPageQueue empty)
        {
            if (empty.Count == 0) Prefix!.EvictOne();
            ref KvPage page = ref empty.PopFront();
            page.RefCount = 1;
            return page.Index;
        }

        /// <summary>The pages of an evicted block: they drop their content and join the empty queue in order, linked to each other as they are visited.</summary>
        internal void ReturnBlockPages(int[] pages)
        {
            EmptyPageQueue empty = Empty;
            for (int p = 0; p < pages.Length; p++) empty.Pages[pages[p]].ContentKey = 0;
            empty.PushBackAll(pages);
        }

        internal void Append(ref KvPageTable table, int index)
        {
            EnsureRoom(ref table, table.PageCount + 1);
            table.Pages[table.PageCount++] = index;
        }

        /// <summary>Makes <paramref name="table"/>'s array hold at least <paramref name="pages"/> pages, renting the size that fits them at once.</summary>
        void EnsureRoom(ref KvPageTable table, int pages)
        {
            if (pages <= table.Pages.Length) return;
            int[] grown = _lists.Rent(pages);
            new ReadOnlySpan<int>(table.Pages, 0, table.PageCount).CopyTo(grown);
            _lists.Return(table.Pages);
            table.Pages = grown;
        }

        /// <summary>
        /// For invariant checks: whether the empty queue's links run from its front to its back through exactly its
        /// length of pages (a walk that ends visits no page twice), each unheld and holding no content, and whether the
        /// pages outside it link nowhere.
        /// </summary>
        internal bool EmptyQueueIsSound(out string problem)
        {
            EmptyPageQueue empty = Empty;
            ref KvPoolHeader header = ref empty.Header;
            int ringLength = header.EmptyRing.Length;
            if (ringLength < _pages.Length || (ringLength & (ringLength - 1)) != 0 || (uint)header.EmptyFront >= (uint)ringLength)
            {
                problem = "the empty-page ring (" + ringLength + " long, front " + header.EmptyFront + ") is not a power of two holding all " + _pages.Length + " pages";
                return false;
            }
            if ((uint)header.EmptyCount > (uint)_pages.Length)
            {
                problem = "the empty-page queue counts " + header.EmptyCount + " pages of " + _pages.Length;
                return false;
            }
            // Each queued page once: a mark per page, this check's number, so no array is cleared or made per check.
            if (_queuedMarks == null) _queuedMarks = new int[_pages.Length];
            int mark = ++_queuedMark;
            for (int place = 0; place < header.EmptyCount; place++)
            {
                int index = empty.PageAt(place);
                if ((uint)index >= (uint)_pages.Length)
                {
                    problem = "the empty-page queue holds page " + index + ", not one of the pool's " + _pages.Length;
                    return false;
                }
                ref KvPage page = ref Page(index);
                if (page.RefCount != 0 || page.ContentKey != 0)
                {
                    problem = "page " + index + " in the empty queue is held or holds content";
                    return false;
                }
                if (_queuedMarks[index] == mark)
                {
                    problem = "page " + index + " is in the empty queue twice";
                    return false;
                }
                _queuedMarks[index] = mark;
            }
            problem = "";
            return true;
        }

        // EmptyQueueIsSound's marks: which pages the current check has met in the queue.
        int[]? _queuedMarks;
        int _queuedMark;
    }
}
