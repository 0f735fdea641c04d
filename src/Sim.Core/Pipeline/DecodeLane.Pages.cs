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
        // _completed modulo block_tokens, kept as it counts (a division a schedule saved).
        int _completedResidue;
        // The pages this schedule's decodes need, as PagesSuffice counted them for it (most schedules need none).
        int _duePages;

        // block_tokens - 1 when it is a power of two (every usual page size): a residue is then a mask, not a division; -1 else.
        readonly int _residueMask;

        /// <summary>A due count's residue modulo block_tokens.</summary>
        int ResidueOf(int due) => _residueMask >= 0 ? due & _residueMask : due % _replica.Kv.BlockTokens;

        void ReadPages(int i, int pageCount) => _pageDue[i] = pageCount * _replica.Kv.BlockTokens - _computedTokens[i];

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
        /// with no <paramref name="world"/>, only notes them: the phases scheduled this batch and reserved them. Each such
        /// decode needs exactly one more page (its tokens are its pages' capacity plus one) and <see cref="PagesSuffice"/>
        /// found it empty, so it takes the empty queue's front, the queue located once for the schedule.
        /// </summary>
        void ReservePages(World? world)
        {
            KvBlockPool pool = _replica.Kv;
            int block = pool.BlockTokens;
            int residue = _completedResidue;
            bool located = false;
            EmptyPageQueue empty = default;
            for (int k = _residueStart[residue]; k < _residueStart[residue + 1]; k++)
            {
                int i = _byResidue[k];
                if (_pageDue[i] != _completed) continue;
                _pageDue[i] += block;
                if (world == null) continue;
                if (!located)
                {
                    empty = pool.EmptyQueue;
                    located = true;
                }
                // Only the page table is written: its column is read from the request's chunk here, leaving the lane's located
                // columns (four array references, a write barrier each) as they are, as requests seldom share a chunk here.
                Chunk chunk = world.Locate(_requests[i], out int row);
                pool.TakeEmptyPage(ref chunk.Column<KvPageTable>()[row], empty);
                _freePages--;
            }
        }
    }
}
