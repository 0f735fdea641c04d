using Sim.Core.Components;

namespace Sim.Core.Kv
{
    /// <summary>
    /// A replica's empty-page queue, read and changed in the component data that holds it: the holder entity's
    /// <see cref="KvPoolHeader"/> (front, back, length) and each member's <see cref="KvPage.NextEmpty"/>. Allocation takes
    /// the front and release appends at the back (vLLM's free block queue). A view found per use (one entity lookup) and
    /// never kept: the state is in the world, the view only knows where.
    /// </summary>
    internal readonly struct EmptyPageQueue
    {
        readonly KvBlockPool _pool;
        readonly KvPoolHeader[] _headers;
        readonly int _row;

        public EmptyPageQueue(KvPoolHeader[] headers, int row, KvBlockPool pool)
        {
            _pool = pool;
            _headers = headers;
            _row = row;
        }

        public ref KvPoolHeader Header => ref _headers[_row];

        public int Count => Header.EmptyCount;

        /// <summary>Appends <paramref name="page"/>, in no queue, at the back (the caller holds its component already).</summary>
        public void PushBack(ref KvPage page)
        {
            if (Header.EmptyCount == 0) PushBehind(ref page, ref page);
            else PushBehind(ref page, ref _pool.Page(Header.LastEmpty));
        }

        /// <summary>
        /// Appends <paramref name="page"/> behind <paramref name="back"/>, which the caller knows is the back page (any
        /// page when the queue is empty): a release of many pages links each to the last without looking it up again.
        /// </summary>
        public void PushBehind(ref KvPage page, ref KvPage back)
        {
            ref KvPoolHeader header = ref Header;
            page.NextEmpty = -1;
            if (header.EmptyCount == 0) header.FirstEmpty = page.Index;
            else back.NextEmpty = page.Index;
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
            else _pool.Page(header.LastEmpty).NextEmpty = first;
            header.LastEmpty = last;
            header.EmptyCount += count;
        }

        /// <summary>Takes the front page out of the queue; the caller has checked that one is there.</summary>
        public ref KvPage PopFront()
        {
            ref KvPoolHeader header = ref Header;
            ref KvPage page = ref _pool.Page(header.FirstEmpty);
            header.FirstEmpty = page.NextEmpty;
            page.NextEmpty = -1;
            if (--header.EmptyCount == 0) header.LastEmpty = -1;
            return ref page;
        }
    }
}
