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
    /// Runs a quiet stretch of the cluster's steps in one move (scene field <c>fast_forward</c>). A step is quiet when no
    /// request arrives at it, every replica about to schedule runs only decodes that its scheduler promises to repeat
    /// while admitting nothing (<see cref="IRepeatsDecodeBatches"/>), none of those decodes is a request's last token or
    /// finds no free KV page, and every batch ending at the step's event time is such a batch. Each quiet step is run
    /// as the phases would run it: the same perf-model calls, page reservations, token gaps and iteration records in the
    /// same order (replicas in index order), so every output is byte-identical to stepping, but without the phases'
    /// per-step lookups and the scheduler's checks. The move ends before the first step that is not quiet (a batch that
    /// is not quiet ends, an idle replica cannot repeat its decodes); the phases take that one. It never runs with token
    /// mode, MoE, speculative decoding, prefix caching or disaggregation, whose iterations do more than this.
    /// </summary>
    internal sealed class DecodeFastForward
    {
        readonly World _world;
        readonly SimClock _clock;
        readonly Cluster _cluster;
        readonly ArrivalStream _arrivals;
        readonly RequestLog _log;
        readonly RecordSystem _record;

        // Per replica, its running requests' columns and rows, located once a move: valid for the move, which creates and
        // destroys no entity. Sized to max_num_seqs (as the replicas' batch scratch is), so a move allocates nothing.
        readonly RequestInfo[][][] _infos;
        readonly RequestProgress[][][] _progress;
        readonly RequestTimes[][][] _times;
        readonly KvPageTable[][][] _tables;
        readonly int[][] _rows;
        readonly Entity[][] _requests;
        // Per replica, its queues' lengths when located for the move (a move neither admits nor finishes a request).
        readonly int[] _running;
        readonly int[] _waiting;

        // The chunk located last this move and its columns.
        Chunk? _lastChunk;
        RequestInfo[] _lastInfos = Array.Empty<RequestInfo>();
        RequestProgress[] _lastProgress = Array.Empty<RequestProgress>();
        RequestTimes[] _lastTimes = Array.Empty<RequestTimes>();
        KvPageTable[] _lastTables = Array.Empty<KvPageTable>();

        // Per replica, for the move: how many more batches it may schedule quietly (0: none), and the perf model's time
        // for the batch it schedules this step (0: it schedules none).
        readonly int[] _quietLeft;
        readonly double[] _plannedS;
        // Each replica's ReplicaInfo column and row, located once a move.
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
            int replicas = _cluster.Replicas.Length;
            _infos = new RequestInfo[replicas][][];
            _progress = new RequestProgress[replicas][][];
            _times = new RequestTimes[replicas][][];
            _tables = new KvPageTable[replicas][][];
            _rows = new int[replicas][];
            _requests = new Entity[replicas][];
            _running = new int[replicas];
            _waiting = new int[replicas];
            for (int r = 0; r < replicas; r++)
            {
                int most = _cluster.Replicas[r].BatchWork.Length;
                _infos[r] = new RequestInfo[most][];
                _progress[r] = new RequestProgress[most][];
                _times[r] = new RequestTimes[most][];
                _tables[r] = new KvPageTable[most][];
                _rows[r] = new int[most];
                _requests[r] = new Entity[most];
            }
            _quietLeft = new int[replicas];
            _plannedS = new double[replicas];
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

        /// <summary>Runs one move of at least one step; false, changing nothing, when the next step is not quiet.</summary>
        public bool TryMove()
        {
            double nowS = _clock.NowS;
            if (_arrivals.NextArrivalS <= nowS || _world.CountEntities(RouteSystem.Unrouted) > 0) return false;
            _lastChunk = null;
            // The end of the earliest batch that is not quiet: the move stops before the step that completes it.
            double loudS = double.PositiveInfinity;
            var replicas = _cluster.Replicas;
            // Idle replicas first: one that cannot repeat its decodes ends the move before it starts, for the least work.
            for (int r = 0; r < replicas.Length; r++)
            {
                ReplicaRuntime replica = replicas[r];
                ref ReplicaInfo info = ref _world.Get<ReplicaInfo>(replica.Entity);
                _quietLeft[r] = _running[r] = _waiting[r] = 0;
                if (info.State == ReplicaState.Idle)
                {
                    if (!RequestQueue.HasWork(_world, replica)) continue;
                    _quietLeft[r] = QuietIterations(replica, 0, false);
                    if (_quietLeft[r] == 0) return false;
                }
                else if (info.State != ReplicaState.Executing) return false;
            }
            for (int r = 0; r < replicas.Length; r++)
            {
                ReplicaRuntime replica = replicas[r];
                _replicaColumns[r] = _world.Locate(replica.Entity, out _replicaRows[r]).Column<ReplicaInfo>();
                ref ReplicaInfo info = ref _replicaColumns[r][_replicaRows[r]];
                if (info.State != ReplicaState.Executing) continue;
                // A quiet batch's requests emit one more token before the replica schedules again.
                if (EndsQuietly(replica)) _quietLeft[r] = QuietIterations(replica, 1, true);
                else loudS = Math.Min(loudS, info.BusyUntilS);
            }
            int moved = 0;
            while (Plan(loudS))
            {
                RunPlannedStep();
                moved++;
            }
            Iterations += moved;
            return moved > 0;
        }

        /// <summary>Locates running request <paramref name="i"/> of replica <paramref name="r"/>: its columns and row, for this move.</summary>
        void Resolve(int r, int i, Entity request)
        {
            _requests[r][i] = request;
            Chunk chunk = _world.Locate(request, out _rows[r][i]);
            // Requests share few chunks: a chunk's columns are looked up once for the run of requests in it.
            if (chunk != _lastChunk)
            {
                _lastChunk = chunk;
                _lastInfos = chunk.Column<RequestInfo>();
                _lastProgress = chunk.Column<RequestProgress>();
                _lastTimes = chunk.Column<RequestTimes>();
                _lastTables = chunk.Column<KvPageTable>();
            }
            _infos[r][i] = _lastInfos;
            _progress[r][i] = _lastProgress;
            _times[r][i] = _lastTimes;
            _tables[r][i] = _lastTables;
        }

        /// <summary>
        /// How many batches <paramref name="replica"/> can schedule, after its requests emit <paramref name="pending"/> more tokens,
        /// before one is a request's last token; 0 when it does not run only decodes its scheduler repeats. Resolves the
        /// running requests first unless <paramref name="resolved"/>.
        /// </summary>
        int QuietIterations(ReplicaRuntime replica, int pending, bool resolved)
        {
            int r = replica.Index;
            RequestQueue.Both(_world, replica, out RequestQueue waiting, out RequestQueue runningQueue);
            int running = _running[r] = runningQueue.Count;
            _waiting[r] = waiting.Count;
            if (running == 0) return 0;
            int limit = int.MaxValue;
            Entity next = runningQueue.First;
            for (int i = 0; i < running; i++)
            {
                if (!resolved)
                {
                    Resolve(r, i, next);
                    next = runningQueue.After(next);
                }
                ref RequestInfo info = ref _infos[r][i][_rows[r][i]];
                ref RequestProgress progress = ref _progress[r][i][_rows[r][i]];
                // A decode: the last generated token is the one uncomputed token (a request with none generated is finishing its
                // prompt); with a token pending, the batch in flight computes it and its end emits the next one.
                if (progress.GeneratedTokens < 1 || progress.EvictedTokens != 0 || info.PromptTokens + progress.GeneratedTokens - progress.ComputedTokens != 1) return 0;
                // The batch k ahead emits output token GeneratedTokens + pending + k + 1; the one that ends the request is left to the phases.
                limit = Math.Min(limit, info.OutputTokens - progress.GeneratedTokens - pending - 1);
                if (limit <= 0) return 0;
            }
            if (!(replica.Scheduler is IRepeatsDecodeBatches repeats) || !repeats.SchedulesEveryDecode(_world, replica)) return 0;
            return limit;
        }

        /// <summary>
        /// Whether the batch <paramref name="replica"/> is executing is every running request's decode, in running order,
        /// none of them a last token: its end only emits one token each. (Its requests are still one token short of decoding,
        /// which <see cref="QuietIterations"/> then sees with one pending token.) Resolves the running requests as it goes.
        /// </summary>
        bool EndsQuietly(ReplicaRuntime replica)
        {
            int r = replica.Index;
            SchedulerOutput decision = replica.InFlight;
            RequestQueue.Both(_world, replica, out RequestQueue waiting, out RequestQueue runningQueue);
            int running = _running[r] = runningQueue.Count;
            _waiting[r] = waiting.Count;
            if (decision.Count != running || decision.PrefillTokens != 0 || decision.PreemptedRequestIds.Count != 0) return false;
            Entity next = runningQueue.First;
            for (int i = 0; i < running; i++)
            {
                ScheduledSequence sequence = decision[i];
                if (sequence.Request != next || sequence.NewTokens != 1) return false;
                next = runningQueue.After(next);
                Resolve(r, i, sequence.Request);
                ref RequestInfo info = ref _infos[r][i][_rows[r][i]];
                ref RequestProgress progress = ref _progress[r][i][_rows[r][i]];
                if (progress.GeneratedTokens < 1 || progress.EvictedTokens != 0 || progress.ComputedTokens != sequence.ContextTokens
                    || info.PromptTokens + progress.GeneratedTokens - progress.ComputedTokens != 1 || progress.GeneratedTokens + 1 >= info.OutputTokens) return false;
            }
            return true;
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
            var replicas = _cluster.Replicas;
            for (int r = 0; r < replicas.Length; r++)
            {
                ref ReplicaInfo info = ref _replicaColumns[r][_replicaRows[r]];
                _plannedS[r] = 0;
                if (info.State == ReplicaState.Executing)
                {
                    nextS = Math.Min(nextS, info.BusyUntilS);
                    continue;
                }
                ReplicaRuntime replica = replicas[r];
                if (_running[r] + _waiting[r] == 0) continue;
                if (_quietLeft[r] == 0 || !PagesSuffice(replica)) return false;
                int running = _running[r];
                SequenceWork[] work = replica.BatchWork;
                RequestProgress[][] progress = _progress[r];
                int[] rows = _rows[r];
                for (int i = 0; i < running; i++)
                    work[i] = new SequenceWork(1, progress[i][rows[i]].ComputedTokens);
                double computeS = replica.PerfModel.IterationTimeS(new ReadOnlySpan<SequenceWork>(work, 0, running));
                // A bad time is the phases' to report.
                if (!(computeS > 0) || double.IsInfinity(computeS)) return false;
                _plannedS[r] = computeS;
                // The execute phase adds the iteration's KV copies and drafts, none here: the batch lasts computeS itself.
                nextS = Math.Min(nextS, nowS + computeS);
            }
            return nextS < loudS;
        }

        /// <summary>Runs the planned step as the phases would: schedule and execute, move the clock, complete, record.</summary>
        void RunPlannedStep()
        {
            double nowS = _clock.NowS;
            var replicas = _cluster.Replicas;
            double nextS = _arrivals.NextArrivalS;
            for (int r = 0; r < replicas.Length; r++)
            {
                ref ReplicaInfo info = ref _replicaColumns[r][_replicaRows[r]];
                if (_plannedS[r] > 0) Schedule(replicas[r], ref info, _plannedS[r], nowS);
                if (info.State == ReplicaState.Executing) nextS = Math.Min(nextS, info.BusyUntilS);
            }
            _clock.Steps++;
            _clock.NowS = Math.Max(nowS, nextS);
            double endS = _clock.NowS;
            for (int r = 0; r < replicas.Length; r++)
            {
                ref ReplicaInfo info = ref _replicaColumns[r][_replicaRows[r]];
                if (info.State == ReplicaState.Executing && info.BusyUntilS == endS) Complete(replicas[r], ref info, endS);
            }
            for (int r = 0; r < replicas.Length; r++)
            {
                ref ReplicaInfo info = ref _replicaColumns[r][_replicaRows[r]];
                if (info.State == ReplicaState.Completed) _record.Record(replicas[r], ref info);
            }
        }

        /// <summary>The schedule and execute phases for one replica: every running request one decode token, reserving its pages in running order.</summary>
        void Schedule(ReplicaRuntime replica, ref ReplicaInfo info, double computeS, double nowS)
        {
            int r = replica.Index;
            int running = _running[r];
            Entity[] requests = _requests[r];
            SequenceWork[] work = replica.BatchWork;
            KvPageTable[][] tables = _tables[r];
            int[] rows = _rows[r];
            RequestInfo[][] infos = _infos[r];
            for (int i = 0; i < running; i++)
                replica.Kv.TryReserve(ref tables[i][rows[i]], work[i].ContextTokens + 1);
            SchedulerOutput decision = replica.InFlight;
            decision.Clear(replica.Index, info.Iterations, nowS);
            for (int i = 0; i < running; i++)
                decision.Add(new ScheduledSequence { Request = requests[i], RequestId = infos[i][rows[i]].Id, NewTokens = 1, ContextTokens = work[i].ContextTokens, IsPrefill = false });
            decision.Seal();
            IterationOutcome outcome = replica.Outcome;
            outcome.Clear();
            outcome.KvUsedPages = replica.Kv.UsedPages;
            outcome.Waiting = _waiting[r];
            outcome.Running = running;
            outcome.ComputeS = computeS;
            outcome.DurationS = computeS;
            info.BusyUntilS = nowS + computeS;
            info.State = ReplicaState.Executing;
            _quietLeft[r]--;
        }

        /// <summary>The complete phase for one replica's quiet batch: each request computes its token and emits the next.</summary>
        void Complete(ReplicaRuntime replica, ref ReplicaInfo info, double endS)
        {
            int r = replica.Index;
            int running = _running[r];
            RequestProgress[][] progressColumns = _progress[r];
            RequestTimes[][] timesColumns = _times[r];
            int[] rows = _rows[r];
            for (int i = 0; i < running; i++)
            {
                ref RequestProgress progress = ref progressColumns[i][rows[i]];
                ref RequestTimes times = ref timesColumns[i][rows[i]];
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
        }

        /// <summary>
        /// Whether the free pages cover this batch's decodes as the scheduler reserves them, in running order; with
        /// <see cref="IRepeatsDecodeBatches.EachDecodeNeedsAFreePage"/>, also a free page before each decode of a batch of more than one.
        /// </summary>
        bool PagesSuffice(ReplicaRuntime replica)
        {
            int r = replica.Index;
            KvBlockPool kv = replica.Kv;
            int running = _running[r];
            bool pageEach = running > 1 && ((IRepeatsDecodeBatches)replica.Scheduler).EachDecodeNeedsAFreePage;
            int free = kv.FreePages;
            RequestProgress[][] progress = _progress[r];
            KvPageTable[][] tables = _tables[r];
            int[] rows = _rows[r];
            for (int i = 0; i < running; i++)
            {
                if (pageEach && free < 1) return false;
                free -= Math.Max(0, kv.PagesFor(progress[i][rows[i]].ComputedTokens + 1) - tables[i][rows[i]].PageCount);
                if (free < 0) return false;
            }
            return true;
        }
    }
}
