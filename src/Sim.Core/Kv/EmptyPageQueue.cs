using System;
using Sim.Core.Components;
using Sim.Core.Ecs;

namespace Sim.Core.Kv
{
    /// <summary>
    /// A replica's empty-page queue, read and changed in the component data that holds it: the holder entity's
    /// <see cref="KvPoolHeader"/> (a ring of page indices, its front and length). Allocation takes the front and release
    /// appends at the back (vLLM's free block queue). A view found per use (one entity lookup, and the pages' columns) and
    /// never kept: the state is in the world, the view only knows where.
    /// </summary>
    internal readonly struct EmptyPageQueue
    {
        readonly RunColumns<KvPage> _pages;
        readonly KvPoolHeader[] _headers;
        readonly int _row;
        // The header's ring, read once for the span of the view (a snapshot load may replace the array, never mid-view).
        readonly int[] _ring;

        public EmptyPageQueue(KvPoolHeader[] headers, int row, RunColumns<KvPage> pages)
        {
            _pages = pages;
            _headers = headers;
            _row = row;
            _ring = headers[row].EmptyRing;
        }

        /// <summary>The pool's pages by index, for the span this view is used in.</summary>
        public RunColumns<KvPage> Pages => _pages;

        public ref KvPoolHeader Header => ref _headers[_row];

        public int Count => Header.EmptyCount;

        /// <summary>The page <paramref name="place"/> places behind the front (0 is the front).</summary>
        public int PageAt(int place)
        {
            ref KvPoolHeader header = ref Header;
            return _ring[(header.EmptyFront + place) & (_ring.Length - 1)];
        }

        public void PushBack(ref KvPage page)
        {
            ref KvPoolHeader header = ref Header;
            _ring[(header.EmptyFront + header.EmptyCount) & (_ring.Length - 1)] = page.Index;
            header.EmptyCount++;
        }

        /// <summary>
        /// The ring and the position behind the back, for a release that writes its freed pages there as it finds them
        /// (position + k, masked) and then counts them in with <see cref="CountIn"/>: the header read once, not once a page.
        /// </summary>
        public int[] Back(out int position)
        {
            ref KvPoolHeader header = ref Header;
            position = header.EmptyFront + header.EmptyCount;
            return _ring;
        }

        /// <summary>Adds the <paramref name="count"/> pages written behind the back (<see cref="Back"/>) to the queue.</summary>
        public void CountIn(int count) => Header.EmptyCount += count;

        /// <summary>Appends <paramref name="pages"/> in order.</summary>
        public void PushBackAll(ReadOnlySpan<int> pages)
        {
            ref KvPoolHeader header = ref Header;
            int mask = _ring.Length - 1;
            int back = header.EmptyFront + header.EmptyCount;
            for (int i = 0; i < pages.Length; i++) _ring[(back + i) & mask] = pages[i];
            header.EmptyCount += pages.Length;
        }

        /// <summary>
        /// Takes the <paramref name="count"/> front pages (at most <see cref="Count"/>), each now held once, into
        /// <paramref name="into"/> from <paramref name="at"/>: their indices copied a range at a time, then their reference
        /// counts set, each page independent of the last.
        /// </summary>
        public void TakeFront(int count, int[] into, int at)
        {
            ref KvPoolHeader header = ref Header;
            int front = header.EmptyFront;
            int first = Math.Min(count, _ring.Length - front);
            Array.Copy(_ring, front, into, at, first);
            Array.Copy(_ring, 0, into, at + first, count - first);
            for (int n = 0; n < count; n++) _pages[into[at + n]].RefCount = 1;
            header.EmptyFront = (front + count) & (_ring.Length - 1);
            header.EmptyCount -= count;
        }

        public ref KvPage PopFront()
        {
            ref KvPoolHeader header = ref Header;
            ref KvPage page = ref _pages[_ring[header.EmptyFront]];
            header.EmptyFront = (header.EmptyFront + 1) & (_ring.Length - 1);
            header.EmptyCount--;
            return ref page;
        }
    }
}
