using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Metrics;
using Sim.Core.Scenes;
using Sim.Core.Systems;

namespace Sim.Core.Pipeline
{
    /// <summary>
    /// Runs a stretch of the cluster's steps in one move (scene field <c>fast_forward</c>), each as the phases would run it:
    /// the same perf-model calls, page reservations, token gaps, request records and iteration records in the same order
    /// (replicas in index order), so every output is byte-identical to stepping. Each replica's stretch is a
    /// <see cref="DecodeLane"/>: while the replica's scheduler promises to repeat its running decodes and admit nothing
    /// (<see cref="Policies.IRepeatsDecodeBatches"/>) and they find their KV pages, the lane schedules them and a step costs
    /// it a few sums, not a pass over its batch. What a lane does not foresee is the phases' own code, run in the move: the
    /// arrive and route systems at an arrival, the schedule and execute systems for one replica at an admission or a
    /// decode short of a page (its lane then read afresh on that batch), the complete phase's finish for a request whose
    /// last token a lane's batch emits. The move ends before a step whose event ends a batch no lane completes (a prompt
    /// chunk that is not the last), after <see cref="MostStepsAMove"/> steps, or when no event is left; the
    /// phases take that step, once the move has scheduled the batches of it that the phases would schedule as planned. It
    /// never runs with token mode, MoE, speculative decoding, prefix caching or disaggregation, whose iterations do more than
    /// this. A lane outlives the steps between moves that leave its replica alone or do to it only what the lane foresaw
    /// (<see cref="DecodeLane.Resume"/>).
    /// </summary>
    internal sealed class DecodeFastForward
    {
        readonly World _world;
        readonly SimClock _clock;
        readonly Cluster _cluster;
        readonly ArrivalStream _arrivals;
        readonly RequestLog _log;
        readonly RecordSystem _record;
        readonly CompleteSystem _complete;
        readonly ReplicaSystem[] _scheduleAndExecute;
        readonly ISystem[] _arriveAndRoute;
        // With invariant checks each iteration's record reads its requests: their lane writes them back first.
        readonly bool _foldEachRecord;
        readonly DecodeLane[] _lanes;
        // The replicas' ReplicaInfo and ReplicaQueues by replica index: replicas are made one after another at start-up into
        // their own archetype and never moved, while a move makes and destroys requests.
        readonly EntityRun<ReplicaInfo> _replicaInfos;
        readonly EntityRun<ReplicaQueues> _replicaQueues;
        // Whether the last move ended just now, before a step that is not quiet.
        bool _phasesNext;
        // A move runs at most this many steps, so a caller stepping the simulation (a progress display, a host turning the
        // fast-forward off) regains control regularly; the phases take the step after, as after any move.
        internal const int MostStepsAMove = 4096;
        // Steps run by the move under way.
        int _movedSteps;
        // In a move, the end of the earliest batch that is not quiet: the move stops before the step that completes it.
        double _loudS;
        // The lanes, in index order, whose batches the last plan priced as the phases would schedule them (none when the plan
        // stopped short of a lane), the planned step's event time, and the first lane whose batch ends then (-1: none ends
        // before the next arrival).
        readonly int[] _planned;
        int _plannedCount;
        double _plannedEventS;
        int _firstEnding;
        // Whether an iteration's record is only its KV usage (no iteration sink, no invariant checks).
        readonly bool _recordsUsageOnly;

        DecodeFastForward(World world, SimulationPipeline pipeline)
        {
            _world = world;
            _clock = world.GetResource<SimClock>();
            _cluster = world.GetResource<Cluster>();
            _arrivals = world.GetResource<ArrivalStream>();
            _log = world.GetResource<RequestLog>();
            _record = pipeline.Record;
            _complete = pipeline.Complete;
            _scheduleAndExecute = pipeline.ScheduleAndExecute;
            _arriveAndRoute = pipeline.ArriveAndRoute;
            _foldEachRecord = world.TryGetResource(out InvariantChecker? _);
            _recordsUsageOnly = _record.RecordsUsageOnly;
            int replicas = _cluster.Replicas.Length;
            _lanes = new DecodeLane[replicas];
            for (int r = 0; r < replicas; r++) _lanes[r] = new DecodeLane(_cluster.Replicas[r], _complete, _log);
            _planned = new int[replicas];
            var replicaEntities = new Entity[replicas];
            for (int r = 0; r < replicas; r++) replicaEntities[r] = _cluster.Replicas[r].Entity;
            _replicaInfos = new EntityRun<ReplicaInfo>(world, replicaEntities);
            _replicaQueues = new EntityRun<ReplicaQueues>(world, replicaEntities);
        }

        /// <summary>A fast-forward for <paramref name="world"/>, or null when its modes do more per iteration than decoding.</summary>
        public static DecodeFastForward? For(World world, SimulationPipeline pipeline)
        {
            if (world.TryGetResource(out KvTransfers? _) || world.TryGetResource(out Tokens.TokenStore? _)) return null;
            foreach (ReplicaRuntime replica in world.GetResource<Cluster>().Replicas)
                if (replica.Moe != null || replica.Speculative != null || replica.Kv.Prefix != null || replica.Role != ReplicaRole.Mixed) return null;
            return new DecodeFastForward(world, pipeline);
        }

        /// <summary>Replica iterations completed by moves so far.</summary>
        public long Iterations { get; private set; }

        /// <summary>Steps run by moves so far (each also counted in <see cref="SimClock.Steps"/>).</summary>
        public long Steps { get; private set; }

        /// <summary>Moves run so far.</summary>
        public long Moves { get; private set; }

        /// <summary>Lanes read afresh from their replica so far; a lane a move finds as it left it is not.</summary>
        public long LaneBuilds { get; private set; }

        /// <summary>Batches admitting beside the running decodes that their lanes scheduled (the decodes, then the scheduler's admissions) so far.</summary>
        public long LaneAdmissions { get; private set; }

        /// <summary>Batches that preempted, of running decodes short of pages, that their lanes scheduled so far.</summary>
        public long LanePreemptions { get; private set; }

        /// <summary>Requests finished by moves so far (their lanes carried their last batch's end).</summary>
        public long Finishes
        {
            get
            {
                long finishes = 0;
                foreach (DecodeLane lane in _lanes) finishes += lane.Finished;
                return finishes;
            }
        }

        /// <summary>Forgets every lane, so the next move reads the replicas afresh (the world was restored from a snapshot).</summary>
        public void Forget()
        {
            _phasesNext = false;
            foreach (DecodeLane lane in _lanes) lane.Forget();
        }

        /// <summary>Writes every lane's values back to the world, for a reader other than the moves and the steps between them.</summary>
        public void FoldAll()
        {
            foreach (DecodeLane lane in _lanes) lane.Fold(_world);
        }

        /// <summary>
        /// Runs one move of at least one step; false when the next step is not quiet, having written back the lanes of the
        /// replicas that step touches. A lane of a replica it leaves alone keeps its values: until that replica's next step,
        /// its running requests' token counts and times in the world lag behind, the computed and generated counts by the same
        /// number, so what the routers read of another replica (queue lengths, tokens left to compute, free pages) is exact.
        /// </summary>
        public bool TryMove()
        {
            // A move ends before a step that is not quiet, its lanes written back for it: the phases take that step.
            if (_phasesNext)
            {
                _phasesNext = false;
                return false;
            }
            bool moved = Move();
            FoldTouched();
            _phasesNext = moved;
            return moved;
        }

        /// <summary>Writes back the lanes of the replicas the phases' next step may touch: those it schedules (idle) or completes (the earliest batch end).</summary>
        void FoldTouched()
        {
            RunColumns<ReplicaInfo> infos = _replicaInfos.Columns();
            double earliestEndS = double.PositiveInfinity;
            for (int r = 0; r < _lanes.Length; r++)
            {
                ref ReplicaInfo info = ref infos[r];
                if (info.State == ReplicaState.Executing) earliestEndS = Math.Min(earliestEndS, info.BusyUntilS);
            }
            for (int r = 0; r < _lanes.Length; r++)
            {
                ref ReplicaInfo info = ref infos[r];
                if (info.State != ReplicaState.Executing || info.BusyUntilS == earliestEndS) _lanes[r].Fold(_world);
            }
        }

        bool Move()
        {
            _loudS = double.PositiveInfinity;
            var replicas = _cluster.Replicas;
            RunColumns<ReplicaInfo> infos = _replicaInfos.Columns();
            RunColumns<ReplicaQueues> queueColumns = _replicaQueues.Columns();
            for (int r = 0; r < replicas.Length; r++)
            {
                ref ReplicaInfo info = ref infos[r];
                ref ReplicaQueues queues = ref queueColumns[r];
                DecodeLane lane = _lanes[r];
                if (!lane.Matches(info, queues.Waiting.Count, queues.Running.Count) && !lane.Resume(_world, info, queues.Waiting.Count, queues.Running.Count))
                {
                    RequestQueue.Both(_world, replicas[r], out RequestQueue waiting, out RequestQueue running);
                    lane.Build(_world, info, waiting, running);
                    LaneBuilds++;
                }
                if (info.State == ReplicaState.Idle) continue;
                if (info.State != ReplicaState.Executing) return false;
                if (!lane.CompletesBatch) _loudS = Math.Min(_loudS, info.BusyUntilS);
            }
            for (int r = 0; r < replicas.Length; r++) _lanes[r].Enter(infos[r]);
            _movedSteps = 0;
            while (Plan())
            {
                RunPlannedStep();
                _movedSteps++;
            }
            SchedulePlanned();
            LeaveAll();
            // The move made and destroyed requests, never replicas: the replicas' columns stand.
            for (int r = 0; r < replicas.Length; r++) _lanes[r].Note(infos[r]);
            Steps += _movedSteps;
            if (_movedSteps > 0) Moves++;
            return _movedSteps > 0;
        }

        /// <summary>
        /// Begins the step that starts now: routes the requests arriving now, prices the batch of each replica about to schedule
        /// whose lane repeats its decodes (having the scheduler choose, in its turn, that of any other), and checks that the
        /// step's event does not end a batch no lane completes, that the move's steps are not spent and that the perf model's
        /// times are good. A lane's batch is only priced here; when the step is not the move's, <see cref="_planned"/> tells
        /// which priced batches the phases would schedule as planned.
        /// </summary>
        bool Plan()
        {
            double nowS = _clock.NowS;
            _plannedCount = 0;
            if (_movedSteps == MostStepsAMove) return false;
            DecodeLane[] lanes = _lanes;
            if (_arrivals.NextArrivalS <= nowS) ArriveAndRoute();
            // Every request is routed in the step that creates it, so only the next arrival's time matters.
            double nextS = _arrivals.NextArrivalS;
            int planned = 0;
            int firstEnding = -1;
            for (int r = 0; r < lanes.Length; r++)
            {
                DecodeLane lane = lanes[r];
                double endS;
                if (lane.State == ReplicaState.Executing) endS = lane.BusyUntilS;
                else
                {
                    if (lane.Running + lane.Waiting == 0) continue;
                    if (!lane.CanSchedule || !lane.PagesSuffice())
                    {
                        // The step schedules this replica's batch with its scheduler, whatever else it does: the phases' way, now.
                        ScheduleByPhases(r);
                        endS = lane.BusyUntilS;
                    }
                    else
                    {
                        double computeS = lane.PriceBatch();
                        // A bad time is the phases' to report, before any batch of this step runs.
                        if (!(computeS > 0) || double.IsInfinity(computeS)) return false;
                        lane.PlannedS = computeS;
                        _planned[planned++] = r;
                        endS = nowS + computeS;
                    }
                }
                // BranchedMath.Min, noting the first lane whose batch ends earliest: no lane before it ends then.
                if (endS < nextS)
                {
                    nextS = endS;
                    firstEnding = r;
                }
                else if (!(nextS < endS)) nextS = Math.Min(nextS, endS);
            }
            _plannedCount = planned;
            _plannedEventS = nextS;
            _firstEnding = firstEnding;
            return nextS < _loudS;
        }

        /// <summary>
        /// The arrive and route phases of the step that begins now: the requests arriving now are made and routed by the phases'
        /// systems, which read of the replicas only what the lanes keep exact in the world (queue lengths, tokens left to
        /// compute, free pages); each replica given requests has its lane ask the scheduler's promise again.
        /// </summary>
        void ArriveAndRoute()
        {
            foreach (ISystem system in _arriveAndRoute) system.Update();
            RunColumns<ReplicaQueues> queues = _replicaQueues.Columns();
            for (int r = 0; r < _lanes.Length; r++)
            {
                int waiting = queues[r].Waiting.Count;
                if (waiting != _lanes[r].Waiting) _lanes[r].TakeArrivals(_world, waiting);
            }
        }

        /// <summary>
        /// Runs the schedule and execute phases' systems for replica <paramref name="r"/>, whose lane does not foresee its batch
        /// (an admission, a preemption), as the step would in its turn, then reads the lane afresh on the batch in flight. A
        /// replica's schedule reads and writes only its own queues, pool and requests, so running it ahead of the other replicas'
        /// changes nothing they do. An admission after the running decodes, or a preemption of the newest running requests for
        /// their pages, is the lane's to schedule when it can (<see cref="DecodeLane.TryScheduleAdmission"/>): the execute
        /// phase's systems then price it, and the lane reads only the admitted requests.
        /// </summary>
        void ScheduleByPhases(int r)
        {
            DecodeLane lane = _lanes[r];
            ReplicaRuntime replica = _cluster.Replicas[r];
            ref ReplicaInfo info = ref _replicaInfos.Columns()[r];
            lane.Leave(ref info);
            // The lane's own admission reads none of the running requests' values from the world: they stay the lane's.
            bool byLane = lane.TryScheduleAdmission(_world, ref info, _clock.NowS);
            if (!byLane)
            {
                // The replica is idle (a plan schedules no other), so the schedule phase clears its last decision before any read.
                lane.FoldForSchedule(_world);
                lane.Hold(info.Iterations);
            }
            else if (replica.InFlight.PrefillTokens > 0) LaneAdmissions++;
            else if (replica.InFlight.PreemptedRequestIds.Count > 0) LanePreemptions++;
            foreach (ReplicaSystem system in _scheduleAndExecute)
                if (!byLane || system.Phase == Phase.Execute) system.VisitOne(replica, ref info);
            RequestQueue.Both(_world, replica, out RequestQueue waiting, out RequestQueue running);
            if (!byLane || !lane.TakeAdmission(_world, info, waiting.Count, running.Count))
            {
                lane.Build(_world, info, waiting, running);
                LaneBuilds++;
            }
            lane.Enter(info);
            if (!lane.CompletesBatch) _loudS = Math.Min(_loudS, info.BusyUntilS);
        }

        /// <summary>
        /// The schedule and execute phases, at the step the move stops before, of the batches planned as the phases would
        /// schedule them: of every replica when only the step's event is not quiet, of the replicas before the first that does
        /// not repeat its decodes, none when a request arrives now (routed before any schedule). The clock stays; the phases
        /// take the rest of the step, finding those replicas executing, and leave them and their lanes alone.
        /// </summary>
        void SchedulePlanned()
        {
            double nowS = _clock.NowS;
            for (int k = 0; k < _plannedCount; k++) _lanes[_planned[k]].Schedule(_world, nowS);
        }

        /// <summary>Writes each lane's replica state, batch end and iteration count to the replica's <see cref="ReplicaInfo"/>.</summary>
        void LeaveAll()
        {
            RunColumns<ReplicaInfo> infos = _replicaInfos.Columns();
            for (int r = 0; r < _lanes.Length; r++) _lanes[r].Leave(ref infos[r]);
        }

        /// <summary>The complete phase for lane <paramref name="r"/>, if its batch ends at <paramref name="endS"/>.</summary>
        void CompleteIfEnding(int r, double endS)
        {
            DecodeLane lane = _lanes[r];
            if (lane.State != ReplicaState.Executing || lane.BusyUntilS != endS) return;
            lane.Complete(_world, _log, endS);
            Iterations++;
            // An iteration's usage is its schedule's, which no finish or destruction changes: recorded in its turn here.
            if (_recordsUsageOnly)
            {
                _record.RecordUsage(_cluster.Replicas[r]);
                lane.Recorded();
            }
        }

        /// <summary>Runs the planned step as the phases would: schedule and execute, move the clock, complete, record.</summary>
        void RunPlannedStep()
        {
            double nowS = _clock.NowS;
            DecodeLane[] lanes = _lanes;
            _clock.Steps++;
            // The planned step's event: the earliest of the next arrival and the batch ends, the new ones included.
            double endS = _clock.NowS = BranchedMath.Max(nowS, _plannedEventS);
            // A replica's schedule reads and writes only its own pool, queues and requests, and takes the time it is given: the
            // planned batches are scheduled before those ending now complete, as if the schedule phase ran first.
            for (int k = 0; k < _plannedCount; k++) lanes[_planned[k]].Schedule(_world, nowS);
            // The batches ending now, in replica order: from the first lane the plan found ending at its event (most steps
            // complete it alone), from the first lane when the event is an arrival or not the plan's.
            int from = 0;
            if (_firstEnding >= 0 && endS == _plannedEventS)
            {
                CompleteIfEnding(_firstEnding, endS);
                from = _firstEnding + 1;
            }
            for (int r = from; r < lanes.Length; r++) CompleteIfEnding(r, endS);
            // As the complete phase ends: the requests finished above are destroyed before any record.
            _complete.DestroyFinished();
            if (_recordsUsageOnly) return;
            for (int r = 0; r < lanes.Length; r++)
            {
                DecodeLane lane = lanes[r];
                if (lane.State != ReplicaState.Completed) continue;
                // The sink or the invariant checks read more than the iteration's usage: the world is brought up to date first.
                if (_foldEachRecord) lane.Fold(_world);
                LeaveAll();
                _record.Record(_cluster.Replicas[r], ref _replicaInfos.Columns()[r]);
                lane.Recorded();
            }
        }
    }
}
