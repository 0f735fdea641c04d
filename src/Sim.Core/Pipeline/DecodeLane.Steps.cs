using System;
using System.Runtime.CompilerServices;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Metrics;
using Sim.Core.PerfModel;
using Sim.Core.Policies;

namespace Sim.Core.Pipeline
{
    /// <summary>A lane's steps: pricing and scheduling its batch, completing it, and writing its requests back.</summary>
    internal sealed partial class DecodeLane
    {
        // The token-gap bucket of the lane's last batch: the next batch lasts about as long, its gap mostly in the same bucket.
        LogBucketHint _gapBucket;

        /// <summary>Prices the batch the replica schedules now: every running request's decode at its context now.</summary>
        public double PriceBatch()
        {
            int running = Running;
            if (_pricing != null)
            {
                long kvTokens = _kvTokens + (long)running * _completed;
                int tile = _pricing.DecodeKvTile;
                if (tile <= 1 && _runs != null) return RunPrice(running, kvTokens);
                double tiled = kvTokens;
                if (tile > 1)
                {
                    tiled = 0;
                    for (int i = 0; i < running; i++) tiled += BatchShape.RoundUp(_computedTokens[i] + _completed + 1, tile);
                }
                return _pricing.DecodeBatchS(running, kvTokens, tiled);
            }
            SequenceWork[] work = _replica.BatchWork;
            for (int i = 0; i < running; i++) work[i] = new SequenceWork(1, _computedTokens[i] + _completed);
            return _replica.PerfModel.IterationTimeS(new ReadOnlySpan<SequenceWork>(work, 0, running));
        }

        /// <summary>
        /// The price of the batch of <paramref name="running"/> decodes with KV sum <paramref name="kvTokens"/>: taken from the run
        /// priced last when it holds it (the next batch of the run, or the last one again when a plan is made again), else from
        /// a new run starting with it. A quiet stretch's batches are such a run.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        double RunPrice(int running, long kvTokens)
        {
            int next = _runNext;
            if (running == _runSequences)
            {
                long nextKvTokens = _runKvTokens + (long)next * running;
                if (kvTokens == nextKvTokens && next < _runSeconds.Length)
                {
                    _runNext = next + 1;
                    return _runSeconds[next];
                }
                if (kvTokens == nextKvTokens - running && next > 0) return _runSeconds[next - 1];
            }
            return NewRun(running, kvTokens);
        }

        double NewRun(int running, long kvTokens)
        {
            _runs!.DecodeRunS(running, kvTokens, _runSeconds);
            _runSequences = running;
            _runKvTokens = kvTokens;
            _runNext = 1;
            return _runSeconds[0];
        }

        /// <summary>
        /// The schedule and execute phases for the planned batch: every running request one decode token, reserving the pages of
        /// those crossing a page boundary in running order (<see cref="PagesSuffice"/> counted them as it planned the batch).
        /// </summary>
        public void Schedule(World world, double nowS)
        {
            if (_duePages > 0) ReservePages(world);
            SchedulerOutput decision = _replica.InFlight;
            if (_decisionIsBatch) decision.Repeat(_iterations, nowS);
            else
            {
                // Its sequences are written when the lane folds, or finishes some of them: a move mostly ends far from here.
                decision.OweDecodes(_replica.Index, _iterations, nowS, Running);
                _decisionIsBatch = true;
            }
            _scheduledSinceFold = true;
            _finishedCount = 0;
            _lastIteration = _iterations;
            _lastStartS = nowS;
            _lastScheduledCompleted = _completed;
            IterationOutcome outcome = _replica.Outcome;
            outcome.Clear();
            outcome.KvUsedPages = _replica.Kv.TotalPages - _freePages;
            outcome.Waiting = Waiting;
            outcome.Running = Running;
            outcome.ComputeS = PlannedS;
            // The execute phase adds the iteration's KV copies and drafts, none here: the batch lasts its compute time.
            outcome.DurationS = PlannedS;
            BusyUntilS = nowS + PlannedS;
            State = ReplicaState.Executing;
            CountBatch();
            if (_finishesInFlight) FetchFinishing();
        }

        /// <summary>
        /// Brings in the records of the requests whose last token the final batch emits, written at their arrival and cold since:
        /// the other lanes' steps before this batch ends cover the loads its finishes then make.
        /// </summary>
        void FetchFinishing()
        {
            for (int i = 0; i < Running; i++)
                if (EmitsLastToken(i, _completed + 1)) _log.FetchRecord(_ids[i]);
        }

        /// <summary>A batch of every running decode is scheduled: a quiet one, or the final one, whose end the lane finishes too.</summary>
        void CountBatch()
        {
            CompletesBatch = true;
            _finishesInFlight = QuietLeft == 0;
            if (_finishesInFlight) FinalBatch = false;
            else QuietLeft--;
        }

        /// <summary>
        /// The complete phase for the lane's batch ending at <paramref name="endS"/>: each request computes its token and emits the
        /// next, and those emitting their last finish (their destruction is the caller's, after every replica's completion).
        /// </summary>
        public void Complete(World world, RequestLog log, double endS)
        {
            bool firstTokens = !_sameLastToken && _firstTokens > 0;
            Advance(log, endS);
            // What the routers read of a replica between moves must be exact: a first token changes a request's tokens left.
            if (firstTokens) WriteFirstTokens(world);
            _iterations++;
            State = ReplicaState.Completed;
            if (_finishesInFlight) FinishLastTokens(world, endS);
        }

        /// <summary>
        /// Each request computes its token and emits the next at <paramref name="endS"/>: the lane's values move, and the token gaps
        /// go to <paramref name="log"/> (none when the phases completed the batch and logged them).
        /// </summary>
        void Advance(RequestLog? log, double endS)
        {
            int running = Running;
            LogHistogram? gapsS = log == null ? null : _tokenGapsS;
            if (_sameLastToken)
            {
                double gapS = endS - _lastEndS;
                gapsS?.Add(gapS, running, ref _gapBucket);
                _sharedMaxGapS = Math.Max(_sharedMaxGapS, gapS);
            }
            else
            {
                // Requests that were in one batch share its end, so their gaps come in runs of one value: a run is logged at once,
                // as many values added in the same order (one bucket look-up).
                double runGapS = 0;
                int run = 0;
                for (int i = 0; i < running; i++)
                {
                    // A first token has no gap before it.
                    if (!_firstToken[i])
                    {
                        double gapS = endS - _lastTokenS[i];
                        if (run > 0 && gapS != runGapS)
                        {
                            gapsS?.Add(runGapS, run);
                            run = 0;
                        }
                        runGapS = gapS;
                        run++;
                        _maxTbtS[i] = Math.Max(_maxTbtS[i], gapS);
                    }
                    _lastTokenS[i] = endS;
                }
                if (run > 0) gapsS?.Add(runGapS, run);
                _firstTokenS = endS;
                _sameLastToken = true;
            }
            _lastEndS = endS;
            if (log != null) log.EmittedTokens += running;
            _completed++;
            if (++_completedResidue == _replica.Kv.BlockTokens) _completedResidue = 0;
            _dirty = true;
        }

        /// <summary>
        /// <see cref="Fold"/> for the phases' schedule of the replica, idle: the requests' values are written back, the last
        /// batch's decision is not, as the schedule phase clears it before anything reads it.
        /// </summary>
        public void FoldForSchedule(World world)
        {
            _scheduledSinceFold = false;
            Fold(world);
        }

        /// <summary>
        /// Writes the requests' token counts and times back to their components, and the last scheduled batch's decision in
        /// full, as the phases would have left them; the lane keeps its values, still the requests'.
        /// </summary>
        public void Fold(World world)
        {
            if (_dirty)
            {
                _dirty = false;
                for (int i = 0; i < Running; i++)
                {
                    // A request the lane admitted holds, until its prompt's batch completes, its values as of that batch's end.
                    if (_completed == 0 && (_firstToken[i] || _recomputed[i])) continue;
                    int row = _columns.Locate(world, _requests[i]);
                    WriteBack(i, ref _columns.Progress[row], ref _columns.Times[row]);
                }
            }
            if (_scheduledSinceFold)
            {
                _scheduledSinceFold = false;
                WriteDecision(_lastIteration, _lastStartS, _lastScheduledCompleted);
            }
        }

        /// <summary>Writes request <paramref name="i"/>'s token counts and times, as the lane has them after a completion, to its components.</summary>
        void WriteBack(int i, ref RequestProgress progress, ref RequestTimes times)
        {
            progress.ComputedTokens = _computedTokens[i] + _completed;
            progress.GeneratedTokens = _generatedTokens[i] + _completed;
            _maxTbtS[i] = Math.Max(_maxTbtS[i], _sharedMaxGapS);
            _lastTokenS[i] = _lastEndS;
            times.MaxTbtS = _maxTbtS[i];
            times.LastTokenS = _lastEndS;
            if (_firstToken[i]) times.FirstTokenS = _firstTokenS;
        }

        /// <summary>Writes back the requests whose first token (or first after a recompute) the lane's first completion emitted.</summary>
        void WriteFirstTokens(World world)
        {
            for (int i = 0; i < Running; i++)
            {
                if (!_firstToken[i] && !_recomputed[i]) continue;
                int row = _columns.Locate(world, _requests[i]);
                WriteBack(i, ref _columns.Progress[row], ref _columns.Times[row]);
            }
        }

        /// <summary>
        /// The decision of a batch of every running request's decode, scheduled after <paramref name="completed"/> of the lane's
        /// batches: the requests it finished in their slots among those the lane kept.
        /// </summary>
        void WriteDecision(long iteration, double startS, int completed)
        {
            SchedulerOutput decision = _replica.InFlight;
            decision.Clear(_replica.Index, iteration, startS);
            int kept = 0;
            for (int f = 0; f < _finishedCount; f++)
            {
                // The kept requests before this slot: those of the slots before it but the f finished there.
                int keptBefore = _finishedSlots[f] - f;
                AddDecodes(decision, completed, kept, keptBefore);
                decision.Add(_finishedSequences[f]);
                kept = keptBefore;
            }
            AddDecodes(decision, completed, kept, Running);
            decision.Seal();
        }
    }
}
