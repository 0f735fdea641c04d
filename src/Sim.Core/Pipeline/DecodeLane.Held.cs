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
        /// The held requests whose values stand for a build on <paramref name="info"/> with <paramref name="running"/> requests
        /// running: all of them once the replica stands idle after one batch of prompts alone, else none. The hold is forgotten,
        /// except by the build on that batch in flight, which reads no request (its batch is not every running request's).
        /// </summary>
        int TakeHeld(in ReplicaInfo info, int running)
        {
            SchedulerOutput batch = _replica.InFlight;
            if (info.State == ReplicaState.Executing && info.Iterations == _heldAtIterations && batch.Count != running) return 0;
            int held = _held;
            _held = 0;
            if (held == 0 || info.State != ReplicaState.Idle || info.Iterations != _heldAtIterations + 1) return 0;
            bool promptsAlone = batch.Iteration == _heldAtIterations && batch.DecodeTokens == 0 && batch.PreemptedRequestIds.Count == 0;
            return promptsAlone ? held : 0;
        }

        /// <summary>
        /// Puts the <paramref name="held"/> requests in their slots of running order (a held request only moves back, the batch's
        /// requests joining among or after them), marking the slots left to read in <see cref="_order"/>; false when a held
        /// request is no longer running (the lane is then read afresh).
        /// </summary>
        bool PlaceHeld(RequestQueue running, int held)
        {
            if (JoinedBehind(running, held)) return true;
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
            return h < 0;
        }

        // The most requests of a batch of prompts that JoinedBehind looks for among the queue's last ones (a look-up each).
        const int MostJoinedLookedFor = 16;

        /// <summary>
        /// <see cref="PlaceHeld"/> when the batch's requests still running joined behind the held ones, as vLLM v0 admits its
        /// prompts: found from the back of the queue, a step each, rather than the whole queue walked. The held requests keep
        /// their order (as <see cref="PlaceHeld"/> takes them to), so with the queue's last requests all the batch's, the last
        /// held one just before them and the first held one at the front, the held ones fill the slots before them as they are.
        /// </summary>
        bool JoinedBehind(RequestQueue running, int held)
        {
            SchedulerOutput batch = _replica.InFlight;
            if (batch.Count > MostJoinedLookedFor || running.First != _requests[0]) return false;
            Entity at = running.Last;
            for (int i = Running - 1; i >= held; i--)
            {
                if (!Schedules(batch, at)) return false;
                _order[i] = at;
                at = running.Before(at);
            }
            if (at != _requests[held - 1]) return false;
            for (int i = 0; i < held; i++)
            {
                _firstToken[i] = false;
                _recomputed[i] = false;
                _order[i] = Entity.Null;
            }
            return true;
        }

        static bool Schedules(SchedulerOutput batch, Entity request)
        {
            for (int k = 0; k < batch.Count; k++)
                if (batch[k].Request == request) return true;
            return false;
        }

        /// <summary>Reads the running requests other than the held ones <see cref="PlaceHeld"/> placed; false as <see cref="ReadRunning"/>.</summary>
        bool ReadAroundHeld(World world)
        {
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
