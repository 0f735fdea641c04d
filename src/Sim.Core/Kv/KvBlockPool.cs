using System;
using Sim.Core.Components;
using Sim.Core.Compute;
using Sim.Core.Ecs;

namespace Sim.Core.Kv
{
    /// <summary>
    /// One replica's physical KV pages: reference counts, page tables, and the queue of empty pages (vLLM's free
    /// block queue: allocate from the head, free to the tail). With a <see cref="PrefixCache"/>, pages whose content
    /// is cached stay out of the queue when released and are evicted only when no empty page is left.
    /// The pages are permanent entities; this class only rewrites their fields.
    /// </summary>
    public sealed class KvBlockPool
    {
        const int None = -1;

        readonly World _world;
        readonly Entity[] _pages;
        readonly PageListPool _lists = new PageListPool();
        int _emptyHead = None;
        int _emptyTail = None;

        public KvBlockPool(World world, int replica, int pageCount, int blockTokens)
        {
            if (pageCount <= 0) throw new ArgumentOutOfRangeException(nameof(pageCount), "a replica needs at least one KV page");
            if (blockTokens <= 0) throw new ArgumentOutOfRangeException(nameof(blockTokens));
            _world = world;
            BlockTokens = blockTokens;
            _pages = new Entity[pageCount];
            for (int i = 0; i < pageCount; i++)
            {
                _pages[i] = world.Create(new KvPage { Replica = replica, Index = i, PrevFree = None, NextFree = None });
                PushEmptyTail(i);
            }
        }

        public int BlockTokens { get; }

        public int TotalPages => _pages.Length;

        /// <summary>Pages holding nothing.</summary>
        public int EmptyPages { get; private set; }

        /// <summary>Pages a reservation may take: empty ones and unreferenced cached ones.</summary>
        public int FreePages => EmptyPages + (Prefix?.EvictablePages ?? 0);

        /// <summary>Pages some request holds.</summary>
        public int UsedPages => _pages.Length - FreePages;

        /// <summary>The prefix cache over these pages; null when prefix caching is off.</summary>
        public PrefixCache? Prefix { get; private set; }

        public void EnablePrefixCache(EvictionPolicy policy, IComputeBackend backend, double pageBytes, KvTier? host, KvTier? ssd)
        {
            if (UsedPages != 0) throw new InvalidOperationException("turn prefix caching on before any page is used");
            Prefix = new PrefixCache(this, policy, backend, pageBytes, host, ssd);
        }

        public Entity PageEntity(int index) => _pages[index];

        public ref KvPage Page(int index) => ref _world.Get<KvPage>(_pages[index]);

        /// <summary>Pages needed to hold <paramref name="tokens"/> tokens.</summary>
        public int PagesFor(int tokens) => (tokens + BlockTokens - 1) / BlockTokens;

        public static KvPageTable EmptyTable => new KvPageTable { Pages = Array.Empty<int>(), PageCount = 0 };

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
        /// Fills an empty <paramref name="table"/> with the cached pages of <paramref name="match"/>, then grows it to
        /// <paramref name="tokens"/> tokens; all or nothing. Returns the content key of the last reused page (0 for none).
        /// </summary>
        public bool TryReserve(ref KvPageTable table, int tokens, in PrefixMatch match, int[]? hashIds, double nowS, out ulong lastReusedKey)
        {
            lastReusedKey = 0;
            if (match.Pages == 0) return TryReserve(ref table, tokens);
            if (table.PageCount != 0) throw new InvalidOperationException("cached pages are reused only by a request that holds none");
            // Reused HBM pages cost nothing new, but those that were evictable stop being free.
            if (PagesFor(tokens) - match.HbmPages > FreePages - match.EvictableHbmPages) return false;
            lastReusedKey = Prefix!.Attach(ref table, match, hashIds!, nowS);
            return TryReserve(ref table, tokens);
        }

        /// <summary>Drops the request's hold on every page of <paramref name="table"/>; pages nobody holds are freed or left cached.</summary>
        public void Release(ref KvPageTable table, double nowS)
        {
            for (int i = 0; i < table.PageCount; i++)
            {
                int index = table.Pages[i];
                ref KvPage page = ref Page(index);
                if (--page.RefCount > 0) continue;
                if (page.ContentKey != 0) Prefix!.Released(index);
                else PushEmptyTail(index);
            }
            Prefix?.FlushReleased(nowS);
            _lists.Return(table.Pages);
            table = EmptyTable;
        }

        /// <summary>An empty page, or else the lowest-scored unreferenced cached page, evicted; held once.</summary>
        internal int TakePage()
        {
            int index = EmptyPages > 0 ? PopEmptyHead() : Prefix!.EvictOne();
            Page(index).RefCount = 1;
            return index;
        }

        /// <summary>One more request holds a cached page.</summary>
        internal void Pin(int index)
        {
            if (Page(index).RefCount++ == 0) Prefix!.Reused(index);
        }

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
            int index = _emptyHead;
            ref KvPage page = ref Page(index);
            _emptyHead = page.NextFree;
            if (_emptyHead == None) _emptyTail = None;
            else Page(_emptyHead).PrevFree = None;
            page.NextFree = None;
            EmptyPages--;
            return index;
        }

        void PushEmptyTail(int index)
        {
            ref KvPage page = ref Page(index);
            page.PrevFree = _emptyTail;
            page.NextFree = None;
            if (_emptyTail == None) _emptyHead = index;
            else Page(_emptyTail).NextFree = index;
            _emptyTail = index;
            EmptyPages++;
        }

        /// <summary>Walks the empty queue (for invariant checks): its length, or -1 when a link or a page is inconsistent.</summary>
        internal int CountEmptyChain()
        {
            int count = 0, prev = None;
            for (int index = _emptyHead; index != None; index = Page(index).NextFree)
            {
                ref KvPage page = ref Page(index);
                if (page.PrevFree != prev || page.RefCount != 0 || page.ContentKey != 0 || count > _pages.Length)
                    return -1;
                prev = index;
                count++;
            }
            return prev == _emptyTail ? count : -1;
        }
    }
}
