using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Metrics;
using Sim.Core.PerfModel;
using Sim.Core.Policies;
using Sim.Core.Systems;

namespace Sim.Core.Pipeline
{
    /// <summary>
    /// One replica's quiet decode stretch for <see cref="DecodeFastForward"/>: its running requests' values (never their chunk
    /// slots), read once and kept across moves for as long as the steps between moves leave the replica alone, which its
    /// signature (iterations, state, busy-until time, queue lengths) tells. A quiet step only moves the lane's counters and
    /// running sums: the requests' token counts and times are written back (<see cref="Fold"/>) before a step touches the
    /// replica, their KV
    /// pages are reserved only at the steps where a context crosses a page boundary, and the perf model prices the batch
    /// from its running sums when it can (<see cref="IPricesDecodeBatches"/>). The end of the batch that emits some requests'
    /// last tokens is the lane's too: it finishes them through the complete phase's own code and keeps the rest
    /// (DecodeLane.Finishes.cs).
    /// </summary>
    internal sealed partial class DecodeLane
    {
        readonly ReplicaRuntime _replica;
        readonly IPricesDecodeBatches? _pricing;
        // A perf model that prices a run of decode batches at once, the run priced last (for _runSequences decodes from KV sum
        // _runKvTokens, each batch's sum its size more than the last's) and its batch the lane prices next.
        readonly IPricesDecodeRuns? _runs;
        readonly double[] _runSeconds = new double[4];
        int _runSequences;
        long _runKvTokens;
        int _runNext;
        readonly CompleteSystem _complete;
        readonly RequestLog _log;
        // The log's histogram of this replica's token gaps.
        readonly LogHistogram _tokenGapsS;

        // The signature of the replica as the lane last saw it; the lane is rebuilt when it differs.
        bool _known;
        long _seenIterations;
        ReplicaState _seenState;
        double _seenBusyUntilS;

        // Per running request, in running order: the values read when the lane was built.
        readonly Entity[] _requests;
        readonly long[] _ids;
        readonly int[] _computedTokens;
        readonly int[] _generatedTokens;
        readonly double[] _lastTokenS;
        readonly double[] _maxTbtS;
        readonly int[] _outputTokens;
        // Per running request, whether the batch the lane was built on computes the rest of its prompt: that batch's end emits
        // its first token (no gap) at _firstTokenS.
        readonly bool[] _firstToken;
        // Per running request, whether that batch recomputes it after a preemption (its end emits its next token, after a gap).
        // Read only until the lane's first completion (a finish after it does not carry it over).
        readonly bool[] _recomputed;
        // The requests of either kind: written back at the lane's first completion.
        int _firstTokens;
        double _firstTokenS;

        // Σ (computed + 1) over the running requests when built: a batch's KV sum grows by Running with each completion.
        long _kvTokens;
        // Batches completed by the lane since it was built: each request's computed and generated counts grew by this much.
        int _completed;
        // Until the lane's first completion the requests' last tokens differ; from it on they are the lane's last batch end.
        bool _sameLastToken;
        double _lastEndS;
        // The largest gap of the batches since the first completion (every request's gap at each of them).
        double _sharedMaxGapS = double.NegativeInfinity;
        // Whether replica.InFlight already holds this running set's decodes (then a repeat only restamps it), and the last
        // batch scheduled since the fold, whose decision the fold writes out in full.
        bool _decisionIsBatch;
        bool _scheduledSinceFold;
        long _lastIteration;
        double _lastStartS;
        int _lastScheduledCompleted;
        // That batch's sequences of the requests it finished, and their slots in it, which the lane no longer holds: the fold
        // writes them among the kept ones (DecodeLane.Finishes.cs).
        readonly ScheduledSequence[] _finishedSequences;
        readonly int[] _finishedSlots;
        int _finishedCount;
        // Whether the requests' values have moved since they were last written back.
        bool _dirty;
        // The request columns of the chunk located last, within one call (which creates and destroys no entity).
        readonly RequestColumns _columns = new RequestColumns();
        // Of the requests read, the fewest decodes one has left before its last token: the lane's quiet batches.
        int _leastDecodesLeft;
        // Whether the build ended with the scheduler's promise (and the pages sorted): only then may an arrival leave the lane
        // as it is, the promise asked again.
        bool _promised;
        // The promising scheduler's IRepeatsDecodeBatches.EachDecodeNeedsAFreePage.
        bool _eachDecodeNeedsAFreePage;
        // Whether the lane holds every running request's values, each decoding (or, in the batch in flight, finishing its
        // prompt or decoding): kept while the lane keeps the requests, promise or not, for the admissions it schedules.
        bool _decoding;

        public DecodeLane(ReplicaRuntime replica, CompleteSystem complete, RequestLog log)
        {
            _replica = replica;
            _log = log;
            _tokenGapsS = log.TokenGapsOf(replica.Index);
            _pricing = replica.PerfModel as IPricesDecodeBatches;
            _runs = replica.PerfModel as IPricesDecodeRuns;
            _complete = complete;
            int most = replica.BatchWork.Length;
            _requests = new Entity[most];
            _ids = new long[most];
            _computedTokens = new int[most];
            _generatedTokens = new int[most];
            _lastTokenS = new double[most];
            _maxTbtS = new double[most];
            _outputTokens = new int[most];
            _firstToken = new bool[most];
            _recomputed = new bool[most];
            _finishedSequences = new ScheduledSequence[most];
            _finishedSlots = new int[most];
            _pageDue = new int[most];
            _byResidue = new int[most];
            _order = new Entity[most];
            _residueStart = new int[replica.Kv.BlockTokens + 1];
            _residueFill = new int[replica.Kv.BlockTokens];
            int block = replica.Kv.BlockTokens;
            _residueMask = (block & (block - 1)) == 0 ? block - 1 : -1;
        }

        /// <summary>Running requests (a lane admits none; it drops those it finishes).</summary>
        public int Running { get; private set; }

        public int Waiting { get; private set; }

        /// <summary>How many more batches the replica may schedule quietly (0: none).</summary>
        public int QuietLeft { get; private set; }

        /// <summary>
        /// Whether, after the quiet ones, the replica may still schedule the batch whose end emits some request's last token: the
        /// same decodes, scheduled as the phases would, whose end the phases then take.
        /// </summary>
        public bool FinalBatch { get; private set; }

        /// <summary>Whether the replica may schedule its next batch in a move.</summary>
        public bool CanSchedule => QuietLeft > 0 || FinalBatch;

        /// <summary>
        /// Whether the lane completes the batch the replica is executing: one of every running decode that the lane scheduled or
        /// took from the phases (the final one included, whose finishes the lane carries), or the one it was built on (decodes
        /// and prompts' last chunks).
        /// </summary>
        public bool CompletesBatch { get; private set; }

        // Whether the batch in flight is the lane's final one: its end emits some requests' last tokens.
        bool _finishesInFlight;

        /// <summary>The perf model's time for the batch the plan priced for this step; read only for the lanes it lists as planned.</summary>
        public double PlannedS { get; set; }

        // In a move, the replica's iteration count and free KV pages (only the lane's reservations take any; -1: not read yet).
        long _iterations;
        int _freePages;

        /// <summary>In a move, the replica's state (a step reads and writes it here; <see cref="Leave"/> writes it back).</summary>
        public ReplicaState State { get; private set; }

        /// <summary>In a move, the end of the replica's batch in flight.</summary>
        public double BusyUntilS { get; private set; }

        /// <summary>Takes the replica's state, batch end and iteration count for the steps of a move.</summary>
        public void Enter(in ReplicaInfo info)
        {
            State = info.State;
            BusyUntilS = info.BusyUntilS;
            _iterations = info.Iterations;
            _freePages = -1;
        }

        /// <summary>Writes the replica's state, batch end and iteration count back, as the steps left them.</summary>
        public void Leave(ref ReplicaInfo info)
        {
            info.State = State;
            info.BusyUntilS = BusyUntilS;
            info.Iterations = _iterations;
        }

        /// <summary>The record phase made the replica idle.</summary>
        public void Recorded() => State = ReplicaState.Idle;

        /// <summary>Whether the replica is as the lane last saw it, so the lane's values are still its requests'.</summary>
        public bool Matches(in ReplicaInfo info, int waiting, int running) =>
            _known && info.Iterations == _seenIterations && info.State == _seenState && info.BusyUntilS == _seenBusyUntilS
            && waiting == Waiting && running == Running;

        /// <summary>Takes the replica's signature after a move or a build, for <see cref="Matches"/> at the next move.</summary>
        public void Note(in ReplicaInfo info)
        {
            _known = true;
            _seenIterations = info.Iterations;
            _seenState = info.State;
            _seenBusyUntilS = info.BusyUntilS;
        }

        /// <summary>Forgets the lane, nothing of it to write back: the next move reads the replica afresh (after a snapshot is restored).</summary>
        public void Forget()
        {
            _known = false;
            _decoding = false;
            _held = 0;
            _dirty = false;
            _scheduledSinceFold = false;
        }

        /// <summary>
        /// Reads the replica: an idle one's running requests, or an executing one's batch and, when that batch is every running
        /// request's decode, none a last token, its requests; then how many batches it may schedule quietly, and whether one more.
        /// </summary>
        public void Build(World world, in ReplicaInfo info, RequestQueue waiting, RequestQueue running)
        {
            if (_dirty)
            {
                // Only requests routed to its queue (the routers read nothing the lane holds back) leave a replica's requests as
                // the lane has them; any other step of it must have come after the lane was written back.
                bool onlyArrivals = info.Iterations == _seenIterations && info.State == _seenState && info.BusyUntilS == _seenBusyUntilS && running.Count == Running;
                if (!onlyArrivals) throw new InvalidOperationException("replica " + _replica.Index + " stepped before its fast-forward lane was written back");
            }
            // The requests' values and the sequences of the batch the lane scheduled (ReadInFlight reads them) are written first.
            Fold(world);
            int held = TakeHeld(info, running.Count);
            Note(info);
            Waiting = waiting.Count;
            Running = running.Count;
            QuietLeft = 0;
            FinalBatch = false;
            CompletesBatch = false;
            _finishesInFlight = false;
            _firstTokens = 0;
            _kvTokens = 0;
            _dirty = false;
            _decoding = false;
            ReadAfresh();
            // The batches ahead are every running decode while none ends: the quiet ones, then the one that ends a request. An
            // executing replica's batch is read even without the scheduler's promise (a quiet batch in flight may complete in a
            // move); an idle one's requests only with it (without it the replica's next step is the phases').
            if (info.State == ReplicaState.Executing)
            {
                if (!ReadInFlight(world, running)) return;
                _decoding = true;
                CompletesBatch = true;
                // A batch in flight that ends a request is the lane's final one: the promise is asked after its finishes.
                _finishesInFlight = _leastDecodesLeft < 0;
                if (_finishesInFlight || !Promises(world)) return;
            }
            else
            {
                // Read without the promise too: the replica's next batch then admits, which the lane may schedule (DecodeLane.Admission.cs).
                if (info.State != ReplicaState.Idle || Running == 0 || !ReadRunning(world, running, held)) return;
                _decoding = true;
                if (!Promises(world)) return;
            }
            if (!SortPageBoundaries()) return;
            Promised();
        }

        /// <summary>Starts the lane's batch counts and shared token times over, on requests whose values it has just taken.</summary>
        void ReadAfresh()
        {
            _completed = 0;
            _completedResidue = 0;
            _sameLastToken = false;
            _sharedMaxGapS = double.NegativeInfinity;
            _decisionIsBatch = false;
            _scheduledSinceFold = false;
            _promised = false;
            _columns.Forget();
        }

        /// <summary>The scheduler promised the running decodes and their pages are sorted: the lane's quiet batches, then the final one.</summary>
        void Promised()
        {
            QuietLeft = _leastDecodesLeft;
            FinalBatch = true;
            _promised = true;
            _eachDecodeNeedsAFreePage = ((IRepeatsDecodeBatches)_replica.Scheduler).EachDecodeNeedsAFreePage;
        }

        /// <summary>Whether the replica's scheduler promises to batch every running decode and admit nothing (<see cref="IRepeatsDecodeBatches"/>).</summary>
        bool Promises(World world) => _replica.Scheduler is IRepeatsDecodeBatches repeats && repeats.SchedulesEveryDecode(world, _replica);

        /// <summary>
        /// Whether the executing batch is, in running order, every running request's decode or the rest of its prompt (none of
        /// its output generated yet), so that its end leaves them all decoding or finished; reads them. Requests the batch
        /// preempted are no longer running: its end is that of the others (their tokens), as any batch's.
        /// </summary>
        bool ReadInFlight(World world, RequestQueue running)
        {
            SchedulerOutput decision = _replica.InFlight;
            if (decision.Count != Running) return false;
            Entity next = running.First;
            for (int i = 0; i < Running; i++)
            {
                ScheduledSequence sequence = decision[i];
                if (sequence.Request != next) return false;
                next = running.After(next);
                if (ReadPrompt(world, i, sequence)) continue;
                if (sequence.NewTokens != 1 || !Read(world, i, sequence.Request, 1) || _computedTokens[i] != sequence.ContextTokens) return false;
            }
            return true;
        }

        /// <summary>
        /// Reads request <paramref name="i"/> when <paramref name="sequence"/> computes the rest of its prompt, none of its output
        /// generated yet: the batch's end emits its first token, after which it decodes like the others. Or, preempted by
        /// recompute and readmitted, the rest of its prompt and generated tokens: the batch's end emits its next token, a gap
        /// after its last as a decode's.
        /// </summary>
        bool ReadPrompt(World world, int i, in ScheduledSequence sequence)
        {
            int row = _columns.Locate(world, sequence.Request);
            ref RequestInfo info = ref _columns.Infos[row];
            ref RequestProgress progress = ref _columns.Progress[row];
            int generated = progress.GeneratedTokens;
            if (!sequence.IsPrefill || progress.EvictedTokens != 0 || progress.ComputedTokens + sequence.NewTokens != info.PromptTokens + generated) return false;
            // As if all its tokens but one were computed and that one were its decode in flight: it then counts as the others do.
            Take(i, sequence.Request, row, info.PromptTokens + generated - 1, generated, info.OutputTokens - generated - 2);
            _firstToken[i] = generated == 0;
            _recomputed[i] = generated > 0;
            // Either is written back at the lane's first completion: what the routers read of it (tokens left) changes then.
            _firstTokens++;
            return true;
        }

        bool ReadRunning(World world, RequestQueue running, int held)
        {
            // Requests the lane held across a batch of prompts take their slots as they are (DecodeLane.Held.cs).
            if (held > 0 && PlaceHeld(running, held)) return ReadAroundHeld(world);
            Entity next = running.First;
            for (int i = 0; i < Running; i++)
            {
                if (!Read(world, i, next, 0)) return false;
                next = running.After(next);
            }
            return true;
        }

        /// <summary>
        /// Reads request <paramref name="i"/>; false when it is not decoding: its last generated token is its one uncomputed token
        /// (none generated: it is finishing its prompt). <paramref name="pending"/> more tokens come from the batch in flight.
        /// </summary>
        bool Read(World world, int i, Entity request, int pending)
        {
            int row = _columns.Locate(world, request);
            ref RequestInfo info = ref _columns.Infos[row];
            ref RequestProgress progress = ref _columns.Progress[row];
            ref RequestTimes times = ref _columns.Times[row];
            if (progress.GeneratedTokens < 1 || progress.EvictedTokens != 0 || info.PromptTokens + progress.GeneratedTokens - progress.ComputedTokens != 1) return false;
            // The batch k ahead emits output token GeneratedTokens + pending + k + 1; a batch in flight that ends the request is the phases'.
            int left = info.OutputTokens - progress.GeneratedTokens - pending - 1;
            // -1: the batch in flight emits its last token (the lane's final batch).
            if (left < -pending) return false;
            Take(i, request, row, progress.ComputedTokens, progress.GeneratedTokens, left);
            _firstToken[i] = false;
            _recomputed[i] = false;
            return true;
        }

        /// <summary>Takes the values of <paramref name="request"/>, at <paramref name="row"/> of the located columns, as running request <paramref name="i"/>.</summary>
        void Take(int i, Entity request, int row, int computed, int generated, int decodesLeft)
        {
            ref RequestInfo info = ref _columns.Infos[row];
            ref RequestTimes times = ref _columns.Times[row];
            _leastDecodesLeft = i == 0 ? decodesLeft : Math.Min(_leastDecodesLeft, decodesLeft);
            _requests[i] = request;
            _ids[i] = info.Id;
            _computedTokens[i] = computed;
            _generatedTokens[i] = generated;
            _lastTokenS[i] = times.LastTokenS;
            _maxTbtS[i] = times.MaxTbtS;
            _outputTokens[i] = info.OutputTokens;
            _kvTokens += computed + 1;
            ReadPages(i, _columns.Tables[row].PageCount);
        }
    }
}
