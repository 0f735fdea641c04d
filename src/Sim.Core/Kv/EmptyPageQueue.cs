using Sim.Core.Components;
using Sim.Core.Ecs;

namespace Sim.Core.Kv
{
    /// <summary>
    /// A replica's empty-page queue, read and changed in the component data that holds it: the holder entity's
    /// <see cref="KvPoolHeader"/> (front, back, length) and each member's <see cref="KvPage.NextEmpty"/>. Allocation takes
    /// the front and release appends at the back (vLLM's free block queue). A view found per use (one entity lookup, and
    /// the pages' columns) and never kept: the state is in the world, the view only knows where.
    /// </summary>
    internal readonly struct EmptyPageQueue
    {
        readonly RunColumns<KvPage> _pages;
        readonly KvPoolHeader[] _headers;
        readonly int _row;

        public EmptyPageQueue(KvPoolHeader[] headers, int row, RunColumns<KvPage> pages)
        {
            _pages = pages;
            _headers = headers;
            _row = row;
        }

        /// <summary>The pool's pages by index, for the span this view is used in.</summary>
        public RunColumns<KvPage> Pages => _pages;

        public ref KvPoolHeader Header => ref _headers[_row];

        public int Count => Header.EmptyCount;

        /// <summary>Appends <paramref name="page"/>, in no queue, at the back (the caller holds its component already).</summary>
        public void PushBack(ref KvPage page)
        {
            ref KvPoolHeader header = ref Header;
            page.NextEmpty = -1;
            if (header.EmptyCount == 0) header.FirstEmpty = page.Index;
            else _pages[header.LastEmpty].NextEmpty = page.Index;
            header.LastEmpty = page.Index;
            header.EmptyCount++;
        }

        /// <summary>
        /// Appends <paramref name="count"/> pages, in no queue, already linked from <paramref name="first"/> to
        /// <paramref name="last"/> through their <see cref="KvPage.NextEmpty"/> (the last's is -1).
        /// </summary>
        public void PushBackRun(int first, int last, int count)
        {
            ref KvPoolHeader header = ref Header;
            if (header.EmptyCount == 0) header.FirstEmpty = first;
            else _pages[header.LastEmpty].NextEmpty = first;
            header.LastEmpty = last;
            header.EmptyCount += count;
        }

        /// <summary>
        /// Takes the <paramref name="count"/> front pages out of the queue into <paramref name="into"/> from <paramref name="at"/>,
        /// each held once; the caller has checked that they are there. One walk down the links, the header written once.
        /// </summary>
        public void TakeFront(int count, int[] into, int at)
        {
            ref KvPoolHeader header = ref Header;
            int index = header.FirstEmpty;
            for (int n = 0; n < count; n++)
            {
                ref KvPage page = ref _pages[index];
                into[at + n] = index;
                index = page.NextEmpty;
                page.NextEmpty = -1;
                page.RefCount = 1;
            }
            header.FirstEmpty = index;
            header.EmptyCount -= count;
            if (header.EmptyCount == 0) header.LastEmpty = -1;
        }

        /// <summary>Takes the front page out of the queue; the caller has checked that one is there.</summary>
        public ref KvPage PopFront()
        {
            ref KvPoolHeader header = ref Header;
            ref KvPage page = ref _pages[header.FirstEmpty];
            header.FirstEmpty = page.NextEmpty;
            page.NextEmpty = -1;
            if (--header.EmptyCount == 0) header.LastEmpty = -1;
            return ref page;
        }
    }
}
