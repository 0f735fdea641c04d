using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Kv;
using Sim.Core.Metrics;
using Sim.Core.PerfModel;
using Sim.Core.Policies;
using Sim.Core.Scenes;
using Sim.Core.Systems;

namespace Sim.Core.Pipeline
{
    /// <summary>
    /// Runs a quiet stretch of one replica's decode iterations in one move (scene field <c>fast_forward</c>). At the start
    /// of a step, when one replica is about to schedule and no other is, every one of its running requests is decoding
    /// and its scheduler promises to repeat that batch and admit nothing (<see cref="IRepeatsDecodeBatches"/>), then
    /// until the next arrival or the next end of another replica's batch, short of any request's last token and while
    /// free KV pages cover the pages the decodes start, each step would schedule the same requests one token each
    /// (taking those pages), time them, move the clock to that batch's end and emit one token per request. This does exactly that, iteration
    /// by iteration, with the same perf-model calls, additions and records in the same order (so every output is
    /// byte-identical to stepping), but without the phases' per-step lookups and the scheduler's checks. It never runs
    /// with token mode, MoE, prefix caching or disaggregation, whose iterations do more than this.
    /// </summary>
    internal sealed class DecodeFastForward
    {
        readonly World _world;
        readonly SimClock _clock;
        readonly Cluster _cluster;
        readonly ArrivalStream _arrivals;
        readonly RequestLog _log;
        readonly RecordSystem _record;

        // The running requests' columns and rows, located once a move: valid for the move, which creates and destroys no
        // entity. Sized to max_num_seqs (as the replicas' batch scratch is), so a move allocates nothing.
        readonly RequestProgress[][] _progress;
        readonly RequestTimes[][] _times;
        readonly KvPageTable[][] _tables;
        readonly int[] _rows;
        readonly Entity[] _requests;
        readonly long[] _requestIds;

        DecodeFastForward(World world, RecordSystem record)
        {
            _world = world;
            _clock = world.GetResource<SimClock>();
            _cluster = world.GetResource<Cluster>();
            _arrivals = world.GetResource<ArrivalStream>();
            _log = world.GetResource<RequestLog>();
            _record = record;
            int most = 0;
            foreach (ReplicaRuntime replica in _cluster.Replicas) most = Math.Max(most, replica.BatchWork.Length);
            _progress = new RequestProgress[most][];
            _times = new RequestTimes[most][];
            _tables = new KvPageTable[most][];
            _rows = new int[most];
            _requests = new Entity[most];
            _requestIds = new long[most];
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

        /// <summary>Runs one move of at least one iteration; false, changing nothing, when the next step is not quiet.</summary>
        public bool TryMove()
        {
            double nowS = _clock.NowS;
            double horizonS = _arrivals.NextArrivalS;
            if (horizonS <= nowS || _arrivals.Arrived.Count > 0) return false;
            ReplicaRuntime? mover = null;
            foreach (ReplicaRuntime replica in _cluster.Replicas)
            {
                ref ReplicaInfo info = ref _world.Get<ReplicaInfo>(replica.Entity);
                if (info.State == ReplicaState.Executing)
                {
                    horizonS = Math.Min(horizonS, info.BusyUntilS);
                    continue;
                }
                if (info.State != ReplicaState.Idle) return false;
                if (!RequestQueue.HasWork(_world, replica)) continue;
                if (mover != null) return false;
                mover = replica;
            }
            if (mover == null) return false;
            int limit = QuietIterations(mover);
            if (limit == 0) return false;
            int moved = Move(mover, limit, horizonS);
            Iterations += moved;
            return moved > 0;
        }

        /// <summary>How many iterations <paramref name="replica"/> can decode before a request's last token; 0 when it is not decoding quietly. Resolves the running requests' slots.</summary>
        int QuietIterations(ReplicaRuntime replica)
        {
            int limit = int.MaxValue;
            int i = 0;
            foreach (RequestRow row in RequestQueue.Running(_world, replica))
            {
                ref RequestInfo info = ref row.Info;
                ref RequestProgress progress = ref row.Progress;
                // A decode: the last generated token is the one uncomputed token (a request with none generated is finishing its prompt).
                if (progress.GeneratedTokens < 1 || progress.EvictedTokens != 0 || info.PromptTokens + progress.GeneratedTokens - progress.ComputedTokens != 1) return 0;
                // Iteration k emits output token GeneratedTokens + k + 1; the one that ends the request is left to the phases.
                limit = Math.Min(limit, info.OutputTokens - progress.GeneratedTokens - 1);
                if (limit <= 0) return 0;
                Entity request = row.Entity;
                Chunk chunk = row.Chunk;
                _rows[i] = row.Row;
                _progress[i] = chunk.Column<RequestProgress>();
                _times[i] = chunk.Column<RequestTimes>();
                _tables[i] = chunk.Column<KvPageTable>();
                _requests[i] = request;
                _requestIds[i] = info.Id;
                i++;
            }
            if (!(replica.Scheduler is IRepeatsDecodeBatches repeats) || !repeats.SchedulesEveryDecode(_world, replica)) return 0;
            return limit;
        }

        /// <summary>Up to <paramref name="limit"/> iterations of <paramref name="replica"/> that end before <paramref name="horizonS"/>, as the phases would run them.</summary>
        int Move(ReplicaRuntime replica, int limit, double horizonS)
        {
            ref ReplicaInfo info = ref _world.Get<ReplicaInfo>(replica.Entity);
            SchedulerOutput decision = replica.InFlight;
            IterationOutcome outcome = replica.Outcome;
            SequenceWork[] work = replica.BatchWork;
            RequestQueue.Both(_world, replica, out RequestQueue waitingQueue, out RequestQueue runningQueue);
            int running = runningQueue.Count, waiting = waitingQueue.Count;
            var batch = new ReadOnlySpan<SequenceWork>(work, 0, running);
            int moved = 0;
            for (; moved < limit; moved++)
            {
                // Schedule, as the scheduler promised: every running request, one decode token each.
                for (int i = 0; i < running; i++)
                    work[i] = new SequenceWork(1, _progress[i][_rows[i]].ComputedTokens);
                double computeS = replica.PerfModel.IterationTimeS(batch);
                // A bad time, or a batch ending at or after another event: the phases take it from here.
                if (!(computeS > 0) || double.IsInfinity(computeS)) break;
                double nowS = _clock.NowS;
                // The execute phase adds the iteration's KV copies, none here: the sum is computeS itself.
                double durationS = computeS;
                if (!(nowS + durationS < horizonS)) break;
                // A decode that finds no free page preempts: the phases take that.
                if (PagesNeeded(replica.Kv, running) > replica.Kv.FreePages) break;
                for (int i = 0; i < running; i++)
                    replica.Kv.TryReserve(ref _tables[i][_rows[i]], work[i].ContextTokens + 1);
                decision.Clear(replica.Index, info.Iterations, nowS);
                for (int i = 0; i < running; i++)
                    decision.Add(new ScheduledSequence { Request = _requests[i], RequestId = _requestIds[i], NewTokens = 1, ContextTokens = work[i].ContextTokens, IsPrefill = false });
                decision.Seal();
                outcome.Clear();
                outcome.KvUsedPages = replica.Kv.UsedPages;
                outcome.Waiting = waiting;
                outcome.Running = running;
                // Execute and move the clock to the batch's end, the earliest event.
                outcome.ComputeS = computeS;
                outcome.DurationS = durationS;
                info.BusyUntilS = nowS + durationS;
                _clock.Steps++;
                _clock.NowS = Math.Max(nowS, info.BusyUntilS);
                // Complete: each request computes its token and emits the next.
                double endS = _clock.NowS;
                for (int i = 0; i < running; i++)
                {
                    ref RequestProgress progress = ref _progress[i][_rows[i]];
                    ref RequestTimes times = ref _times[i][_rows[i]];
                    progress.ComputedTokens++;
                    progress.GeneratedTokens++;
                    _log.EmittedTokens++;
                    double gapS = endS - times.LastTokenS;
                    _log.TokenGapsS.Add(gapS);
                    times.MaxTbtS = Math.Max(times.MaxTbtS, gapS);
                    times.LastTokenS = endS;
                }
                info.Iterations++;
                info.State = ReplicaState.Completed;
                _record.Record(replica, ref info);
            }
            return moved;
        }

        /// <summary>New pages this iteration's decodes take (a request whose next token starts a page).</summary>
        int PagesNeeded(KvBlockPool kv, int running)
        {
            int pages = 0;
            for (int i = 0; i < running; i++)
                pages += Math.Max(0, kv.PagesFor(_progress[i][_rows[i]].ComputedTokens + 1) - _tables[i][_rows[i]].PageCount);
            return pages;
        }
    }
}
