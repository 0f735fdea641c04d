using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Policies;
using Sim.Core.Systems;

namespace Sim.Core.Pipeline
{
    /// <summary>
    /// An admission the lane schedules itself: while every running request is decoding and finds its next KV page, a scheduler
    /// that puts those decodes first (<see cref="IAdmitsAfterDecodes"/>) is asked only for the waiting requests it admits after
    /// them, and the lane, already holding the running requests' values, reads only the admitted ones, instead of the scheduler
    /// walking the running queue and the lane reading every request afresh on the batch.
    /// </summary>
    internal sealed partial class DecodeLane
    {
        /// <summary>
        /// The schedule phase of the replica's batch that admits, its running requests' values still the lane's (the admission
        /// reads only the waiting requests, the queues and the pool, as the routers do): the running decodes in running
        /// order, their pages reserved as <see cref="Schedule"/> reserves them, then the scheduler's admissions; false, having
        /// done nothing, when the lane cannot tell that batch (a request it does not hold, a scheduler that does not put its
        /// decodes first). Decodes short of pages preempt, where the scheduler preempts the newest (DecodeLane.Preemption.cs).
        /// </summary>
        public bool TryScheduleAdmission(World world, ref ReplicaInfo info, double nowS)
        {
            if (!_decoding || Running == 0 || !(_replica.Scheduler is IAdmitsAfterDecodes admits) || !admits.DecodesComeFirst(Running)) return false;
            _eachDecodeNeedsAFreePage = admits is IRepeatsDecodeBatches { EachDecodeNeedsAFreePage: true };
            // The residues as the requests now kept are (a finish since the last sort drops some): PagesSuffice reads them.
            if (!SortPageBoundaries()) return false;
            // A decode short of a page preempts: the scheduler's own batch, which the lane schedules when it foresees it.
            if (!PagesSuffice())
            {
                if (!(admits is IPreemptsNewestForDecodes) || _replica.Swap != null || _eachDecodeNeedsAFreePage) return false;
                SchedulePreemptions(world, ref info, nowS);
                return true;
            }
            ReservePages(world);
            // This decision replaces any the lane owes the world (Fold).
            _scheduledSinceFold = false;
            SchedulerOutput decision = _replica.InFlight;
            decision.Clear(_replica.Index, info.Iterations, nowS);
            AddDecodes(decision, _completed, 0, Running);
            // The admissions take pages the lane does not count: the move's Enter after this batch has the pool read again.
            admits.AdmitAfterDecodes(world, _replica, nowS, decision);
            RequestQueue.Both(world, _replica, out RequestQueue waiting, out RequestQueue running);
            ScheduleSystem.Decided(_replica, waiting.Count, running.Count, ref info);
            return true;
        }

        /// <summary>Adds the decodes of running requests <paramref name="from"/> to <paramref name="to"/> - 1, after <paramref name="completed"/> of the lane's batches, to <paramref name="decision"/>.</summary>
        void AddDecodes(SchedulerOutput decision, int completed, int from, int to)
        {
            for (int i = from; i < to; i++)
                decision.Add(new ScheduledSequence { Request = _requests[i], RequestId = _ids[i], NewTokens = 1, ContextTokens = _computedTokens[i] + completed, IsPrefill = false });
        }

        /// <summary>
        /// Takes the batch <see cref="TryScheduleAdmission"/> scheduled, now executing, as <see cref="Build"/> would read it: the
        /// kept requests' values moved on by the batches completed since they were read (still owed to the world when the lane is
        /// dirty), then the admitted requests read (each must be finishing its prompt); false, the lane written back, when one
        /// is not: the lane is then to be built afresh.
        /// </summary>
        public bool TakeAdmission(World world, in ReplicaInfo info, int waiting, int running)
        {
            SchedulerOutput decision = _replica.InFlight;
            if (running != decision.Count)
            {
                Fold(world);
                return false;
            }
            int decodes = Running;
            Note(info);
            Waiting = waiting;
            Running = running;
            QuietLeft = 0;
            FinalBatch = false;
            _firstTokens = 0;
            _kvTokens = 0;
            for (int i = 0; i < decodes; i++)
            {
                if (_completed > 0)
                {
                    // As WriteBack moves the lane's times on: every request's last token was the lane's last batch end.
                    _maxTbtS[i] = Math.Max(_maxTbtS[i], _sharedMaxGapS);
                    _lastTokenS[i] = _lastEndS;
                }
                MoveOn(i);
                int computed = _computedTokens[i];
                int generated = _generatedTokens[i];
                _firstToken[i] = false;
                _recomputed[i] = false;
                _kvTokens += computed + 1;
                // The batch in flight emits output token generated + 1 (as Read with one token pending).
                int left = _outputTokens[i] - generated - 2;
                _leastDecodesLeft = i == 0 ? left : Math.Min(_leastDecodesLeft, left);
            }
            ReadAfresh();
            for (int i = decodes; i < running; i++)
            {
                if (ReadPrompt(world, i, decision[i])) continue;
                // The kept requests, moved on, are written back: their values hold with no batch completed since.
                Running = decodes;
                Fold(world);
                return false;
            }
            CompletesBatch = true;
            _finishesInFlight = _leastDecodesLeft < 0;
            if (_finishesInFlight || !Promises(world) || !SortPageBoundaries()) return true;
            Promised();
            return true;
        }
    }
}
