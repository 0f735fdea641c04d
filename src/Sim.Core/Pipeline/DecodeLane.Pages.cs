using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Kv;
using Sim.Core.Policies;

namespace Sim.Core.Pipeline
{
    /// <summary>
    /// A lane's KV pages: a decode reserves a page only when its context fills its last one, every block_tokens batches,
    /// so each request waits, by the residue of its next such batch modulo block_tokens, in a list a schedule alone looks at.
    /// </summary>
    internal sealed partial class DecodeLane
    {
        // Per running request, the lane's completion count at whose schedule its decode needs one more page.
        readonly int[] _pageDue;
        // The running requests by residue of _pageDue modulo block_tokens, in running order within a residue, and where each
        // residue's run starts (the last entry: Running); a request's due count only ever grows by block_tokens.
        readonly int[] _byResidue;
        readonly int[] _residueStart;
        readonly int[] _residueFill;
        // Per running request, its KV page list and page count as the lane holds them (the list null when the phases may have
        // replaced it since: read from the world at the next reservation), and whether the lane reserved pages its
        // KvPageTable lacks: a reservation then writes no component, and the fold (or a finish or preemption) writes them.
        readonly int[]?[] _pages;
        readonly int[] _pageCounts;
        readonly bool[] _pagesOwed;
        // Whether any running request's pages are owed to its KvPageTable.
        bool _anyPagesOwed;
        // _completed modulo block_tokens, kept as it counts (a division a schedule saved).
        int _completedResidue;
        // The pages this schedule's decodes need, as PagesSuffice counted them for it (most schedules need none).
        int _duePages;

        // block_tokens - 1 when it is a power of two (every usual page size): a residue is then a mask, not a division; -1 else.
        readonly int _residueMask;

        /// <summary>A due count's residue modulo block_tokens.</summary>
        int ResidueOf(int due) => _residueMask >= 0 ? due & _residueMask : due % _replica.Kv.BlockTokens;

        void ReadPages(int i, in KvPageTable table)
        {
            _pageDue[i] = table.PageCount * _replica.Kv.BlockTokens - _computedTokens[i];
            _pages[i] = table.Pages;
            _pageCounts[i] = table.PageCount;
            _pagesOwed[i] = false;
        }

        /// <summary>Writes request <paramref name="i"/>'s pages, as the lane holds them, to its <paramref name="table"/> if the lane reserved some since.</summary>
        void WritePages(int i, ref KvPageTable table)
        {
            if (!_pagesOwed[i]) return;
            _pagesOwed[i] = false;
            table.Pages = _pages[i]!;
            table.PageCount = _pageCounts[i];
        }

        /// <summary>
        /// Appends the empty queue's front page to request <paramref name="i"/>'s pages as the lane holds them, owed to its
        /// KvPageTable (read from <paramref name="world"/> when the lane does not hold its list).
        /// </summary>
        void TakePage(World world, int i, KvBlockPool pool, in EmptyPageQueue empty)
        {
            int[]? pages = _pages[i];
            int count = _pageCounts[i]++;
            if (pages == null || count == pages.Length)
            {
                if (pages == null)
                {
                    Chunk chunk = world.Locate(_requests[i], out int row);
                    pages = chunk.Column<KvPageTable>()[row].Pages;
                }
                pages = _pages[i] = pool.WithRoomFor(pages, count);
            }
            KvBlockPool.TakeEmptyPage(pages, count, empty);
            _pagesOwed[i] = true;
            _anyPagesOwed = true;
            _pageDue[i] += pool.BlockTokens;
            _freePages--;
        }

        /// <summary>Sorts the read requests by residue; false when one already lacks pages for its computed tokens.</summary>
        bool SortPageBoundaries()
        {
            int block = _replica.Kv.BlockTokens;
            int[] fill = _residueFill;
            for (int residue = 0; residue < block; residue++) fill[residue] = 0;
            for (int i = 0; i < Running; i++)
            {
                int due = _pageDue[i];
                if (due < 0) return false;
                fill[ResidueOf(due)]++;
            }
            int start = 0;
            for (int residue = 0; residue < block; residue++)
            {
                _residueStart[residue] = start;
                start += fill[residue];
                fill[residue] = _residueStart[residue];
            }
            _residueStart[block] = start;
            for (int i = 0; i < Running; i++)
                _byResidue[fill[ResidueOf(_pageDue[i])]++] = i;
            return true;
        }

        /// <summary>
        /// Whether the free pages cover this schedule's page reservations in running order; with
        /// <see cref="IRepeatsDecodeBatches.EachDecodeNeedsAFreePage"/>, also a free page before each decode of a batch of more
        /// than one, the tightest before the last decode.
        /// </summary>
        public bool PagesSuffice()
        {
            int residue = _completedResidue;
            int due = 0;
            bool lastDue = false;
            for (int k = _residueStart[residue]; k < _residueStart[residue + 1]; k++)
            {
                int i = _byResidue[k];
                if (_pageDue[i] != _completed) continue;
                due++;
                lastDue = i == Running - 1;
            }
            // Without a prefix cache the free pages are the empty ones, which only the lane's reservations take in a move.
            if (_freePages < 0) _freePages = _replica.Kv.FreePages;
            _duePages = due;
            int free = _freePages;
            if (free < due) return false;
            bool pageEach = Running > 1 && _eachDecodeNeedsAFreePage;
            return !pageEach || free - (lastDue ? due - 1 : due) >= 1;
        }

        /// <summary>
        /// Reserves the pages of this schedule's decodes that fill their last page, in running order (as the scheduler does);
        /// with no <paramref name="world"/>, only notes them: the phases scheduled this batch and reserved them (in lists they
        /// may have replaced). Each such decode needs exactly one more page (its tokens are its pages' capacity plus one) and
        /// <see cref="PagesSuffice"/> found it empty, so it takes the empty queue's front, the queue located once for the schedule.
        /// </summary>
        void ReservePages(World? world)
        {
            KvBlockPool pool = _replica.Kv;
            int residue = _completedResidue;
            bool located = false;
            EmptyPageQueue empty = default;
            for (int k = _residueStart[residue]; k < _residueStart[residue + 1]; k++)
            {
                int i = _byResidue[k];
                if (_pageDue[i] != _completed) continue;
                if (world == null)
                {
                    _pageDue[i] += pool.BlockTokens;
                    _pageCounts[i]++;
                    _pages[i] = null;
                    continue;
                }
                if (!located)
                {
                    empty = pool.EmptyQueue;
                    located = true;
                }
                TakePage(world, i, pool, empty);
            }
        }
    }
}
