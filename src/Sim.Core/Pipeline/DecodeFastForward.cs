using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Metrics;
using Sim.Core.Scenes;
using Sim.Core.Systems;

namespace Sim.Core.Pipeline
{
    /// <summary>
    /// Runs a quiet stretch of the cluster's steps in one move (scene field <c>fast_forward</c>). A step is quiet when no
    /// request arrives at it, every replica about to schedule runs only decodes that its scheduler promises to repeat
    /// while admitting nothing (<see cref="IRepeatsDecodeBatches"/>), none of those decodes is a request's last token or
    /// finds no free KV page, and every batch ending at the step's event time is such a batch. Each quiet step is run
    /// as the phases would run it: the same perf-model calls, page reservations, token gaps and iteration records in the
    /// same order (replicas in index order), so every output is byte-identical to stepping, but without the phases'
    /// per-step lookups and the scheduler's checks. The move ends before the first step that is not quiet (a batch that
    /// is not quiet ends, an idle replica cannot repeat its decodes); the phases take that one. It never runs with token
    /// mode, MoE, speculative decoding, prefix caching or disaggregation, whose iterations do more than this.
    /// Each replica's stretch is a <see cref="DecodeLane"/>: a quiet step costs each replica a few sums, not a pass over its
    /// batch, and a lane outlives the steps between moves that leave its replica alone (another replica's arrival or end).
    /// </summary>
    internal sealed class DecodeFastForward
    {
        readonly World _world;
        readonly SimClock _clock;
        readonly Cluster _cluster;
        readonly ArrivalStream _arrivals;
        readonly RequestLog _log;
        readonly RecordSystem _record;
        // With invariant checks each iteration's record reads its requests: their lane writes them back first.
        readonly bool _foldEachRecord;
        readonly DecodeLane[] _lanes;
        // Each replica's ReplicaInfo column and row, located once a move (which creates and destroys no entity).
        readonly ReplicaInfo[][] _replicaColumns;
        readonly int[] _replicaRows;

        DecodeFastForward(World world, RecordSystem record)
        {
            _world = world;
            _clock = world.GetResource<SimClock>();
            _cluster = world.GetResource<Cluster>();
            _arrivals = world.GetResource<ArrivalStream>();
            _log = world.GetResource<RequestLog>();
            _record = record;
            _foldEachRecord = world.TryGetResource(out InvariantChecker? _);
            int replicas = _cluster.Replicas.Length;
            _lanes = new DecodeLane[replicas];
            for (int r = 0; r < replicas; r++) _lanes[r] = new DecodeLane(_cluster.Replicas[r]);
            _replicaColumns = new ReplicaInfo[replicas][];
            _replicaRows = new int[replicas];
        }

        /// <summary>A fast-forward for <paramref name="world"/>, or null when its modes do more per iteration than decoding.</summary>
        public static DecodeFastForward? For(World world, RecordSystem record)
        {
            if (world.TryGetResource(out KvTransfers? _) || world.TryGetResource(out Tokens.TokenStore? _)) return null;
            foreach (ReplicaRuntime replica in world.GetResource<Cluster>().Replicas)
                if (replica.Moe != null || replica.Speculative != null || replica.Kv.Prefix != null || replica.Role != ReplicaRole.Mixed) return null;
            return new DecodeFastForward(world, record);
        }

        /// <summary>Iterations run by moves so far (each also counted in <see cref="SimClock.Steps"/>).</summary>
        public long Iterations { get; private set; }

        /// <summary>Forgets every lane, so the next move reads the replicas afresh (the world was restored from a snapshot).</summary>
        public void Forget()
        {
            foreach (DecodeLane lane in _lanes) lane.Forget();
        }

        /// <summary>Runs one move of at least one step; false, changing nothing, when the next step is not quiet.</summary>
        public bool TryMove()
        {
            double nowS = _clock.NowS;
            if (_arrivals.NextArrivalS <= nowS || _arrivals.Arrived.Count > 0) return false;
            // The end of the earliest batch that is not quiet: the move stops before the step that completes it.
            double loudS = double.PositiveInfinity;
            var replicas = _cluster.Replicas;
            for (int r = 0; r < replicas.Length; r++)
            {
                ReplicaRuntime replica = replicas[r];
                _replicaColumns[r] = _world.Locate(replica.Entity, out _replicaRows[r]).Column<ReplicaInfo>();
                ref ReplicaInfo info = ref _replicaColumns[r][_replicaRows[r]];
                DecodeLane lane = _lanes[r];
                RequestQueue.Both(_world, replica, out RequestQueue waiting, out RequestQueue running);
                if (!lane.Matches(info, waiting.Count, running.Count)) lane.Build(_world, info, waiting, running);
                if (info.State == ReplicaState.Idle)
                {
                    // An idle replica that cannot repeat its decodes ends the move before it starts.
                    if (lane.Running + lane.Waiting > 0 && lane.QuietLeft == 0) return false;
                }
                else if (info.State != ReplicaState.Executing) return false;
                else if (!lane.EndsQuietly) loudS = Math.Min(loudS, info.BusyUntilS);
            }
            int moved = 0;
            while (Plan(loudS))
            {
                RunPlannedStep();
                moved++;
            }
            for (int r = 0; r < replicas.Length; r++)
            {
                _lanes[r].Fold(_world);
                _lanes[r].Note(_replicaColumns[r][_replicaRows[r]]);
            }
            Iterations += moved;
            return moved > 0;
        }

        /// <summary>
        /// Prices the batch of each replica about to schedule (every running request's decode) and checks the step is quiet:
        /// those decodes find their pages, the perf model's times are good, and the step's event is not the end of a batch
        /// that is not quiet. False, changing nothing outside the replicas' batch scratch, when it is not.
        /// </summary>
        bool Plan(double loudS)
        {
            double nowS = _clock.NowS;
            double nextS = _arrivals.NextArrivalS;
            if (nextS <= nowS) return false;
            for (int r = 0; r < _lanes.Length; r++)
            {
                ref ReplicaInfo info = ref _replicaColumns[r][_replicaRows[r]];
                DecodeLane lane = _lanes[r];
                lane.PlannedS = 0;
                if (info.State == ReplicaState.Executing)
                {
                    nextS = Math.Min(nextS, info.BusyUntilS);
                    continue;
                }
                if (lane.Running + lane.Waiting == 0) continue;
                if (lane.QuietLeft == 0 || !lane.PagesSuffice()) return false;
                double computeS = lane.PriceBatch();
                // A bad time is the phases' to report.
                if (!(computeS > 0) || double.IsInfinity(computeS)) return false;
                lane.PlannedS = computeS;
                nextS = Math.Min(nextS, nowS + computeS);
            }
            return nextS < loudS;
        }

        /// <summary>Runs the planned step as the phases would: schedule and execute, move the clock, complete, record.</summary>
        void RunPlannedStep()
        {
            double nowS = _clock.NowS;
            double nextS = _arrivals.NextArrivalS;
            for (int r = 0; r < _lanes.Length; r++)
            {
                ref ReplicaInfo info = ref _replicaColumns[r][_replicaRows[r]];
                if (_lanes[r].PlannedS > 0) _lanes[r].Schedule(_world, ref info, nowS);
                if (info.State == ReplicaState.Executing) nextS = Math.Min(nextS, info.BusyUntilS);
            }
            _clock.Steps++;
            _clock.NowS = Math.Max(nowS, nextS);
            double endS = _clock.NowS;
            for (int r = 0; r < _lanes.Length; r++)
            {
                ref ReplicaInfo info = ref _replicaColumns[r][_replicaRows[r]];
                if (info.State == ReplicaState.Executing && info.BusyUntilS == endS) _lanes[r].Complete(_log, ref info, endS);
            }
            var replicas = _cluster.Replicas;
            for (int r = 0; r < _lanes.Length; r++)
            {
                ref ReplicaInfo info = ref _replicaColumns[r][_replicaRows[r]];
                if (info.State != ReplicaState.Completed) continue;
                if (_foldEachRecord) _lanes[r].Fold(_world);
                _record.Record(replicas[r], ref info);
            }
        }
    }
}
