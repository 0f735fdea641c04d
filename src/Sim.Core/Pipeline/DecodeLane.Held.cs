using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Policies;

namespace Sim.Core.Pipeline
{
    /// <summary>
    /// A lane held across a batch of other requests' prompts that the phases schedule (vLLM v0 pauses its decodes for such a
    /// batch): its requests' values, written back before that schedule, are still theirs once the batch has completed, so the
    /// lane's next build takes them as they are and reads only the requests the batch admitted.
    /// </summary>
    internal sealed partial class DecodeLane
    {
        // Requests whose values the lane holds as the world has them (slots 0.._held - 1) and the replica's iteration count when
        // they were written back: they stand after exactly one more batch, one without decodes or preemptions.
        int _held;
        long _heldAtIterations;
        // The running queue in order, for a build that takes held requests (Entity.Null: a held request's slot, filled).
        readonly Entity[] _order;

        /// <summary>
        /// Keeps the requests' values for the lane's next build, the lane just written back for the phases' schedule of the batch
        /// after iteration <paramref name="iterations"/>: each request's counts moved on by the batches the lane completed, as
        /// written back. Nothing is held when the lane does not hold every running request decoding, or holds a request whose
        /// values await its prompt batch's end.
        /// </summary>
        public void Hold(long iterations)
        {
            _held = 0;
            if (!_decoding) return;
            for (int i = 0; i < Running; i++)
                if (_completed == 0 && (_firstToken[i] || _recomputed[i])) return;
            for (int i = 0; i < Running; i++) MoveOn(i);
            _completed = 0;
            _held = Running;
            _heldAtIterations = iterations;
        }

        /// <summary>Request <paramref name="i"/>'s counts moved on by the batches the lane completed since reading it (as <see cref="WriteBack"/> writes them).</summary>
        void MoveOn(int i)
        {
            _computedTokens[i] += _completed;
            _generatedTokens[i] += _completed;
            _pageDue[i] -= _completed;
        }

        /// <summary>
        /// The held requests that still have the lane's values as the replica stands idle (none when the batch since was not one
        /// of prompts alone); forgets the hold.
        /// </summary>
        int TakeHeld(in ReplicaInfo info)
        {
            int held = _held;
            _held = 0;
            if (held == 0 || info.State != ReplicaState.Idle || info.Iterations != _heldAtIterations + 1) return 0;
            SchedulerOutput batch = _replica.InFlight;
            bool promptsAlone = batch.Iteration == _heldAtIterations && batch.DecodeTokens == 0 && batch.PreemptedRequestIds.Count == 0;
            return promptsAlone ? held : 0;
        }

        /// <summary>
        /// <see cref="ReadRunning"/> with <paramref name="held"/> requests held: each found in running order takes its slot with
        /// its values (a held request only moves back, the batch's requests joining among or after them), the others are read;
        /// false when a held request is no longer running (the lane is then read afresh) or a read one is not decoding.
        /// </summary>
        bool ReadRunningHolding(World world, RequestQueue running, int held, out bool readAfresh)
        {
            readAfresh = false;
            Entity next = running.First;
            for (int i = 0; i < Running; i++)
            {
                _order[i] = next;
                next = running.After(next);
            }
            // From the back, so that a held request's new slot is free: the held requests behind it have moved on already.
            int h = held - 1;
            for (int i = Running - 1; i >= 0 && h >= 0; i--)
            {
                if (_order[i] != _requests[h]) continue;
                Keep(h--, i);
                // Its first token, if the lane's completions emitted it, is behind it: its next tokens have gaps.
                _firstToken[i] = false;
                _recomputed[i] = false;
                _order[i] = Entity.Null;
            }
            if (h >= 0)
            {
                readAfresh = true;
                return false;
            }
            for (int i = 0; i < Running; i++)
            {
                if (!_order[i].IsNull)
                {
                    if (!Read(world, i, _order[i], 0)) return false;
                    continue;
                }
                // As Read takes a request with no batch in flight.
                int left = _outputTokens[i] - _generatedTokens[i] - 1;
                _leastDecodesLeft = i == 0 ? left : System.Math.Min(_leastDecodesLeft, left);
                _kvTokens += _computedTokens[i] + 1;
            }
            return true;
        }
    }
}
