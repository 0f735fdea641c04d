using System;
using Sim.Core.Components;
using Sim.Core.Compute;
using Sim.Core.Ecs;
using Sim.Core.Snapshots;

namespace Sim.Core.Kv
{
    /// <summary>
    /// One replica's physical KV pages: reference counts, page tables, and the queue of empty pages (vLLM's free
    /// block queue: allocate from the head, free to the tail; a ring of page indices, so it reads memory in order). With a <see cref="PrefixCache"/>, pages whose content
    /// is cached stay out of the queue when released and are evicted only when no empty page is left.
    /// The pages are permanent entities; this class only rewrites their fields.
    /// </summary>
    public sealed class KvBlockPool : ISnapshotState
    {

        readonly World _world;
        readonly Entity[] _pages;
        readonly PageListPool _lists = new PageListPool();
        readonly int[] _emptyRing;
        int _emptyHead;

        public KvBlockPool(World world, int replica, int pageCount, int blockTokens)
        {
            if (pageCount <= 0) throw new ArgumentOutOfRangeException(nameof(pageCount), "a replica needs at least one KV page");
            if (blockTokens <= 0) throw new ArgumentOutOfRangeException(nameof(blockTokens));
            BlockTokens = blockTokens;
            _world = world;
            _pages = new Entity[pageCount];
            for (int i = 0; i < pageCount; i++)
                _pages[i] = world.Create(new KvPage { Replica = replica, Index = i });
            _emptyRing = new int[pageCount];
            for (int i = 0; i < pageCount; i++) PushEmptyTail(i);
        }

        public int BlockTokens { get; }

        public int TotalPages => _pages.Length;

        /// <summary>Pages holding nothing.</summary>
        public int EmptyPages { get; private set; }

        /// <summary>Pages a reservation may take: empty ones and those of unheld cached blocks.</summary>
        public int FreePages => EmptyPages + (Prefix?.EvictablePages ?? 0);

        /// <summary>Pages some request holds.</summary>
        public int UsedPages => _pages.Length - FreePages;

        /// <summary>
        /// Pages an admission leaves free (vLLM v0's block-manager watermark, <c>int(watermark × blocks)</c>), so the
        /// running requests' next decodes find pages instead of being preempted by a prompt just let in.
        /// </summary>
        public int WatermarkPages { get; set; }

        /// <summary>The prefix cache over these pages; null when prefix caching is off.</summary>
        public PrefixCache? Prefix { get; private set; }

        /// <param name="predictor">The workload ahead, for <see cref="EvictionPolicy.Predicted"/> and <see cref="EvictionPolicy.Belady"/>; null for the other policies.</param>
        public void EnablePrefixCache(EvictionPolicy policy, IComputeBackend backend, double pageBytes, KvTier? host, KvTier? ssd, ReusePredictor? predictor = null)
        {
            if (UsedPages != 0) throw new InvalidOperationException("turn prefix caching on before any page is used");
            if (policy.ReadsFuture() != (predictor != null)) throw new ArgumentException("predicted and belady eviction, and only they, need a reuse predictor", nameof(predictor));
            Prefix = new PrefixCache(this, policy, backend, pageBytes, host, ssd, predictor);
        }

        /// <summary>The empty-page queue and the prefix cache; the pages' own fields are the world's.</summary>
        void ISnapshotState.Save(SnapshotWriter writer)
        {
            writer.Write(_emptyRing);
            writer.Write(_emptyHead);
            writer.Write(EmptyPages);
            writer.Write(WatermarkPages);
            if (Prefix != null) ((ISnapshotState)Prefix).Save(writer);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            reader.ReadInto(_emptyRing);
            _emptyHead = reader.Read<int>();
            EmptyPages = reader.Read<int>();
            WatermarkPages = reader.Read<int>();
            if (Prefix != null) ((ISnapshotState)Prefix).Load(reader);
        }

        public Entity PageEntity(int index) => _pages[index];

        /// <summary>Page <paramref name="index"/>'s component, looked up through its entity (the world may have moved its row).</summary>
        public ref KvPage Page(int index) => ref _world.Get<KvPage>(_pages[index]);

        /// <summary>Pages needed to hold <paramref name="tokens"/> tokens.</summary>
        public int PagesFor(int tokens) => (tokens + BlockTokens - 1) / BlockTokens;

        public static KvPageTable EmptyTable => new KvPageTable { Pages = Array.Empty<int>(), PackedPages = Array.Empty<int>() };

        /// <summary>
        /// Grows <paramref name="table"/> to hold <paramref name="tokens"/> tokens, all or nothing.
        /// Returns false, changing nothing, when too few pages are free.
        /// </summary>
        public bool TryReserve(ref KvPageTable table, int tokens)
        {
            int missing = PagesFor(tokens) - table.PageCount;
            if (missing <= 0) return true;
            if (missing > FreePages) return false;
            for (int n = 0; n < missing; n++) Append(ref table, TakePage());
            return true;
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
            while (table.PageCount > keep)
            {
                int index = table.Pages[--table.PageCount];
                if (--Page(index).RefCount == 0) PushEmptyTail(index);
            }
        }

        /// <summary>Drops the request's hold on every page of <paramref name="table"/>; pages nobody holds are freed or left cached.</summary>
        public void Release(ref KvPageTable table, double nowS)
        {
            for (int i = 0; i < table.PageCount; i++)
            {
                int index = table.Pages[i];
                if (index < 0) continue; // freed already by token-level eviction
                ref KvPage page = ref Page(index);
                if (--page.RefCount > 0) continue;
                // A cached block's pages sit block-aligned in every table that holds them, and lose their holders together.
                if (page.ContentKey == 0) PushEmptyTail(index);
                else if (i % Prefix!.PagesPerBlock == 0) Prefix.Released(page.ContentKey);
            }
            Prefix?.FlushReleased(nowS);
            while (table.PackedCount > 0) ReleasePackedPage(ref table);
            _lists.Return(table.Pages);
            _lists.Return(table.PackedPages);
            table = EmptyTable;
        }

        /// <summary>
        /// Token mode: the page in <paramref name="slot"/> of the table lost its last token, so the request lets go of it;
        /// the slot stays (positions keep their pages) but holds -1.
        /// </summary>
        public void ReleasePage(ref KvPageTable table, int slot)
        {
            int index = table.Pages[slot];
            table.Pages[slot] = -1;
            if (--Page(index).RefCount == 0) PushEmptyTail(index);
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
            int index = table.PackedPages[--table.PackedCount];
            if (--Page(index).RefCount == 0) PushEmptyTail(index);
        }

        /// <summary>An empty page, evicting the lowest-scored unheld cached block first when none is; held once.</summary>
        internal int TakePage()
        {
            if (EmptyPages == 0) Prefix!.EvictOne();
            int index = PopEmptyHead();
            Page(index).RefCount = 1;
            return index;
        }

        /// <summary>A page of an evicted block, now holding nothing.</summary>
        internal void ReturnEmpty(int index) => PushEmptyTail(index);

        internal void Append(ref KvPageTable table, int index)
        {
            if (table.PageCount == table.Pages.Length)
            {
                int[] grown = _lists.Rent(table.PageCount + 1);
                Array.Copy(table.Pages, grown, table.PageCount);
                _lists.Return(table.Pages);
                table.Pages = grown;
            }
            table.Pages[table.PageCount++] = index;
        }

        int PopEmptyHead()
        {
            int index = _emptyRing[_emptyHead];
            _emptyHead = (_emptyHead + 1) % _emptyRing.Length;
            EmptyPages--;
            return index;
        }

        void PushEmptyTail(int index)
        {
            _emptyRing[(_emptyHead + EmptyPages) % _emptyRing.Length] = index;
            EmptyPages++;
        }

        /// <summary>For invariant checks: whether every page in the empty queue is unheld and holds no content.</summary>
        internal bool EmptyPagesAreEmpty()
        {
            for (int i = 0; i < EmptyPages; i++)
            {
                ref KvPage page = ref Page(_emptyRing[(_emptyHead + i) % _emptyRing.Length]);
                if (page.RefCount != 0 || page.ContentKey != 0) return false;
            }
            return true;
        }
    }
}
