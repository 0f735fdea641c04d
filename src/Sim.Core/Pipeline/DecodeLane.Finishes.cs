using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Policies;

namespace Sim.Core.Pipeline
{
    /// <summary>
    /// A lane's final batch: its end emits some requests' last tokens. The lane finishes those through the complete phase's
    /// own finish (record, pages, running queue, destruction queued), keeps the others in running order, and asks the
    /// scheduler's promise again (a finish frees pages and may let a waiting request in), so a move goes on past a finish
    /// instead of leaving it to the phases and reading the replica afresh.
    /// </summary>
    internal sealed partial class DecodeLane
    {
        /// <summary>Requests the lane has finished.</summary>
        public long Finished { get; private set; }

        /// <summary>
        /// Finishes, in running order, the requests whose last token the batch ending at <paramref name="endS"/> emitted, as
        /// <see cref="Systems.CompleteSystem"/> does; the lane keeps the rest and takes the scheduler's answer for their next batches.
        /// </summary>
        void FinishLastTokens(World world, double endS)
        {
            // The decision of the batch just completed stays owed (the replica's next schedule mostly replaces it unread): its
            // sequences of the finished requests are kept for the fold, as the lane drops those requests.
            bool owed = _scheduledSinceFold;
            _decisionIsBatch = false;
            _finishesInFlight = false;
            int kept = 0;
            for (int i = 0; i < Running; i++)
            {
                if (!EmitsLastToken(i, _completed))
                {
                    Keep(i, kept++);
                    continue;
                }
                if (owed)
                {
                    _finishedSlots[_finishedCount] = i;
                    _finishedSequences[_finishedCount++] = new ScheduledSequence { Request = _requests[i], RequestId = _ids[i], NewTokens = 1, ContextTokens = _computedTokens[i] + _lastScheduledCompleted, IsPrefill = false };
                }
                var row = new RequestRow(world, _requests[i]);
                WriteBack(i, ref row.Progress, ref row.Times);
                _complete.Finish(_replica, _requests[i], row, endS);
                _kvTokens -= _computedTokens[i] + 1;
                Finished++;
            }
            Running = kept;
            // Released pages are free again: the next schedule reads the pool.
            _freePages = -1;
            QuietLeft = 0;
            FinalBatch = false;
            _promised = false;
            if (Running == 0 || !Promises(world)) return;
            for (int i = 0; i < Running; i++)
            {
                int left = _outputTokens[i] - _generatedTokens[i] - _completed - 1;
                _leastDecodesLeft = i == 0 ? left : Math.Min(_leastDecodesLeft, left);
            }
            if (SortPageBoundaries()) Promised();
        }

        /// <summary>Whether request <paramref name="i"/> has emitted its last token once the lane has completed <paramref name="completed"/> batches.</summary>
        bool EmitsLastToken(int i, int completed) => _generatedTokens[i] + completed >= _outputTokens[i];

        /// <summary>Moves the values of running request <paramref name="from"/> to slot <paramref name="to"/> (not after it).</summary>
        void Keep(int from, int to)
        {
            if (from == to) return;
            _requests[to] = _requests[from];
            _ids[to] = _ids[from];
            _computedTokens[to] = _computedTokens[from];
            _generatedTokens[to] = _generatedTokens[from];
            _outputTokens[to] = _outputTokens[from];
            _lastTokenS[to] = _lastTokenS[from];
            _maxTbtS[to] = _maxTbtS[from];
            _firstToken[to] = _firstToken[from];
            _pageDue[to] = _pageDue[from];
        }
    }
}
