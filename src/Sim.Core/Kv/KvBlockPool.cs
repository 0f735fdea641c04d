using System;
using Sim.Core.Components;
using Sim.Core.Ecs;

namespace Sim.Core.Kv
{
    /// <summary>
    /// One replica's physical KV pages and their free queue (vLLM's free block queue: allocate from the
    /// head, free to the tail). The pages are permanent entities; this class only walks their links.
    /// </summary>
    public sealed class KvBlockPool
    {
        const int None = -1;

        readonly World _world;
        readonly Entity[] _pages;
        int _freeHead = None;
        int _freeTail = None;

        public KvBlockPool(World world, int replica, int pageCount, int blockTokens)
        {
            if (pageCount <= 0) throw new ArgumentOutOfRangeException(nameof(pageCount), "a replica needs at least one KV page");
            if (blockTokens <= 0) throw new ArgumentOutOfRangeException(nameof(blockTokens));
            _world = world;
            BlockTokens = blockTokens;
            _pages = new Entity[pageCount];
            for (int i = 0; i < pageCount; i++)
            {
                _pages[i] = world.Create(new KvPage { Replica = replica, Index = i, OwnerRequestId = -1, PrevFree = None, NextFree = None, NextOwned = None });
                PushFreeTail(i);
            }
        }

        public int BlockTokens { get; }

        public int TotalPages => _pages.Length;

        public int FreePages { get; private set; }

        public int UsedPages => _pages.Length - FreePages;

        public Entity PageEntity(int index) => _pages[index];

        public ref KvPage Page(int index) => ref _world.Get<KvPage>(_pages[index]);

        /// <summary>Pages needed to hold <paramref name="tokens"/> tokens.</summary>
        public int PagesFor(int tokens) => (tokens + BlockTokens - 1) / BlockTokens;

        /// <summary>
        /// Grows <paramref name="table"/> to hold <paramref name="tokens"/> tokens, all or nothing.
        /// Returns false, changing nothing, when too few pages are free.
        /// </summary>
        public bool TryReserve(ref KvPageTable table, long ownerRequestId, int tokens)
        {
            int missing = PagesFor(tokens) - table.PageCount;
            if (missing <= 0) return true;
            if (missing > FreePages) return false;
            for (int n = 0; n < missing; n++)
            {
                int index = PopFreeHead();
                ref KvPage page = ref Page(index);
                page.OwnerRequestId = ownerRequestId;
                page.RefCount = 1;
                page.NextOwned = None;
                if (table.PageCount == 0) table.FirstPage = index;
                else Page(table.LastPage).NextOwned = index;
                table.LastPage = index;
                table.PageCount++;
            }
            return true;
        }

        /// <summary>Returns every page of <paramref name="table"/> to the free queue, in token order.</summary>
        public void Release(ref KvPageTable table)
        {
            int index = table.PageCount == 0 ? None : table.FirstPage;
            while (index != None)
            {
                ref KvPage page = ref Page(index);
                int next = page.NextOwned;
                page.OwnerRequestId = -1;
                page.RefCount = 0;
                page.NextOwned = None;
                PushFreeTail(index);
                index = next;
            }
            table = EmptyTable;
        }

        public static KvPageTable EmptyTable => new KvPageTable { FirstPage = None, LastPage = None, PageCount = 0 };

        int PopFreeHead()
        {
            int index = _freeHead;
            ref KvPage page = ref Page(index);
            _freeHead = page.NextFree;
            if (_freeHead == None) _freeTail = None;
            else Page(_freeHead).PrevFree = None;
            page.NextFree = None;
            FreePages--;
            return index;
        }

        void PushFreeTail(int index)
        {
            ref KvPage page = ref Page(index);
            page.PrevFree = _freeTail;
            page.NextFree = None;
            if (_freeTail == None) _freeHead = index;
            else Page(_freeTail).NextFree = index;
            _freeTail = index;
            FreePages++;
        }

        /// <summary>Walks the free queue (for invariant checks): its length and whether every link is consistent.</summary>
        internal int CountFreeChain()
        {
            int count = 0, prev = None;
            for (int index = _freeHead; index != None; index = Page(index).NextFree)
            {
                ref KvPage page = ref Page(index);
                if (page.PrevFree != prev || page.OwnerRequestId != -1 || count > _pages.Length)
                    return -1;
                prev = index;
                count++;
            }
            return prev == _freeTail ? count : -1;
        }
    }
}
