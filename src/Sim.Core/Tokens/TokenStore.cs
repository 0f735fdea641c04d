using System;
using System.Collections.Generic;
using Sim.Core.Components;
using Sim.Core.Compute;
using Sim.Core.Ecs;
using Sim.Core.Kv;
using Sim.Core.Snapshots;
using Sim.Core.Tokens.Policies;

namespace Sim.Core.Tokens
{
    /// <summary>
    /// World resource of token mode: every resident KV token of an active sequence is a <see cref="KvToken"/> entity,
    /// one per copy (layer group and head). After each iteration a sequence's new positions become tokens, every query
    /// the policy needs attends and is credited (<see cref="TokenScoring"/>: each prefill chunk's queries before
    /// anything can be evicted, a decode step's query), and once the prefill is done the policy evicts down to the
    /// budget (<see cref="TokenEviction"/>), freeing pages whose tokens are all gone. On a backend with resident kernels
    /// (<see cref="IResidentBackend"/>) a step's attention is one pass over every sequence (<see cref="StepAttention"/>):
    /// <see cref="Prepare"/> each sequence, <see cref="Seal"/>, then <see cref="Apply"/> each and <see cref="EndStep"/>.
    /// </summary>
    public sealed class TokenStore : ISnapshotState, IDisposable
    {
        readonly World _world;
        readonly AttentionModel _attention;
        readonly KvCompression _compression;
        readonly TokenRule _rule;
        readonly TokenScoring _scoring;
        readonly TokenEviction _eviction;
        readonly StepAttention? _step;
        readonly List<SequenceTokens> _sequences = new List<SequenceTokens>();
        readonly Stack<int> _freeSlots = new Stack<int>();

        public TokenStore(World world, AttentionModel attention, KvCompression compression, IComputeBackend backend)
        {
            _world = world;
            _attention = attention;
            _compression = compression;
            _rule = compression.Policy.Rule();
            _step = backend is IResidentBackend resident ? new StepAttention(resident.Resident) : null;
            _scoring = new TokenScoring(attention, compression, backend, _step);
            _eviction = new TokenEviction(world, compression, backend, attention);
        }

        public KvCompressionStats Stats { get; } = new KvCompressionStats();

        /// <summary>Attention passes over resident keys so far (0 where the backend has no resident kernels).</summary>
        public long AttentionPasses => _step?.Passes ?? 0;

        /// <summary>Steps whose sequences attended over resident keys so far.</summary>
        public long AttentionSteps => _step?.Steps ?? 0;

        /// <summary>Key positions uploaded to the resident column so far (each copy's position counted once).</summary>
        public long UploadedKeyPositions => _step?.Keys.UploadedPositions ?? 0;

        /// <summary>Resident token entities of the sequence in <paramref name="slot"/> (all copies).</summary>
        public int ResidentTokens(int slot) => _sequences[slot].TotalResident;

        public int Open(long requestId, int promptTokens)
        {
            int slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : AddSlot();
            _sequences[slot].Reset(requestId, promptTokens);
            _step?.Keys.Restart(slot);
            return slot;
        }

        /// <summary>
        /// Resident tokens a step's attention reads for a sequence holding <paramref name="residentTokens"/>, with the
        /// pass that computes the scores the policy needs: FlashAttention returns no attention weights, so a policy
        /// scoring every query (<c>h2o</c>, <c>mikv</c>; <c>lazy</c> and <c>cake</c> in decode) computes q·K and the softmax
        /// again, re-reading the keys: half the bytes of the key-value read. SnapKV's, CAKE's and LazyEviction's window
        /// at the end of the prefill (32 queries) is left out.
        /// </summary>
        public int ContextWithScoring(int residentTokens, bool isPrefill)
        {
            bool scoresEveryQuery = isPrefill ? _rule.ScoresPromptQueries : _rule.DecodeCredit != TokenCredit.None;
            return scoresEveryQuery ? residentTokens + residentTokens / 2 : residentTokens;
        }

        /// <summary>The sequence ended or lost its KV: its tokens go.</summary>
        public void Close(int slot)
        {
            SequenceTokens sequence = _sequences[slot];
            for (int copy = 0; copy < sequence.Copies; copy++)
            {
                for (int i = 0; i < sequence.ResidentCount[copy]; i++) _world.Destroy(sequence.Resident[sequence.ResidentAt(copy, i)]);
                sequence.ResidentCount[copy] = 0;
            }
            _freeSlots.Push(slot);
        }

        /// <summary>Every sequence's tokens (open or free for reuse), the free slots, then the statistics.</summary>
        void ISnapshotState.Save(SnapshotWriter writer)
        {
            writer.Write(_sequences.Count);
            foreach (SequenceTokens sequence in _sequences) ((ISnapshotState)sequence).Save(writer);
            writer.Write(_freeSlots.ToArray());
            ((ISnapshotState)Stats).Save(writer);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            int count = reader.Read<int>();
            if (count < _sequences.Count) throw new SnapshotException("the token store is past the snapshot's; restore into a simulation just built");
            while (_sequences.Count < count) AddSlot();
            foreach (SequenceTokens sequence in _sequences) ((ISnapshotState)sequence).Load(reader);
            int[] free = reader.Read<int[]>();
            _freeSlots.Clear();
            for (int i = free.Length - 1; i >= 0; i--) _freeSlots.Push(free[i]);
            ((ISnapshotState)Stats).Load(reader);
            _step?.Keys.Forget();
        }

        public void Dispose() => _step?.Dispose();

        int AddSlot()
        {
            _sequences.Add(new SequenceTokens(_attention.Copies, _rule.Demotes));
            return _sequences.Count - 1;
        }

        /// <summary>
        /// Applies an iteration that computed positions [<paramref name="fromPosition"/>, <paramref name="toPosition"/>) of the
        /// sequence: tokens, attention, eviction and freed pages (<see cref="Prepare"/>, <see cref="Seal"/>,
        /// <see cref="Apply"/>, <see cref="EndStep"/> for one sequence). Returns what <see cref="Apply"/> returns.
        /// </summary>
        public int Advance(int slot, int fromPosition, int toPosition, bool emitsToken, ref KvPageTable table, KvBlockPool pool, double iterationS)
        {
            Prepare(slot, fromPosition, toPosition, emitsToken, pool);
            Seal();
            int evicted = Apply(slot, fromPosition, toPosition, emitsToken, ref table, pool, iterationS);
            EndStep();
            return evicted;
        }

        /// <summary>
        /// The first half of an iteration for one sequence: the keys and values of its new positions, and with resident
        /// kernels the attention queries <see cref="Apply"/> will take.
        /// </summary>
        /// <param name="emitsToken">Whether the iteration ends with the sequence producing an output token (a decode, or the end of a prefill).</param>
        public void Prepare(int slot, int fromPosition, int toPosition, bool emitsToken, KvBlockPool pool)
        {
            const int d = AttentionModel.KeyDim;
            SequenceTokens sequence = _sequences[slot];
            sequence.EnsureCapacity(toPosition, pool.PagesFor(toPosition));
            for (int position = fromPosition; position < toPosition; position++)
            {
                for (int copy = 0; copy < sequence.Copies; copy++)
                {
                    _attention.KeyOf(copy, sequence.RequestId, position, sequence.PromptTokens, sequence.Row(sequence.Keys, copy, position));
                    _attention.ValueOf(copy, sequence.RequestId, position, sequence.Row(sequence.Values, copy, position));
                    if (sequence.KeyError.Length > 0)
                    {
                        Array.Clear(sequence.KeyError, sequence.RowStart(copy, position), d);
                        Array.Clear(sequence.ValueError, sequence.RowStart(copy, position), d);
                    }
                }
            }
            sequence.Positions = toPosition;
            if (_step == null) return;
            // The queries Apply's scoring takes, in its order.
            if (emitsToken && sequence.PrefillDone) _scoring.PlanQueries(slot, sequence, toPosition - 1, toPosition);
            else
            {
                if (ScoresEveryPromptQuery) _scoring.PlanQueries(slot, sequence, fromPosition, toPosition);
                if (emitsToken && ScoresWindow) _scoring.PlanQueries(slot, sequence, toPosition - Math.Min(_compression.ObservationWindow, toPosition), toPosition);
            }
        }

        /// <summary>Every sequence of the step is prepared: the keys written since the last step go to the resident column.</summary>
        public void Seal() => _step?.Seal(_sequences);

        /// <summary>
        /// The second half (after <see cref="Prepare"/> and <see cref="Seal"/>): token entities, attention, eviction and freed
        /// pages. Returns the tokens attention no longer reads, in whole tokens (the mean over copies, a low-precision
        /// token counted at its share of the bytes).
        /// </summary>
        public int Apply(int slot, int fromPosition, int toPosition, bool emitsToken, ref KvPageTable table, KvBlockPool pool, double iterationS)
        {
            SequenceTokens sequence = _sequences[slot];
            int copies = sequence.Copies;
            for (int position = fromPosition; position < toPosition; position++)
            {
                for (int copy = 0; copy < copies; copy++)
                    sequence.AddResident(copy, _world.Create(new KvToken { Sequence = slot, Position = position, Copy = copy, Bits = 16 }), position);
                sequence.LivePerPage[position / pool.BlockTokens] += copies;
            }

            bool decode = emitsToken && sequence.PrefillDone;
            bool prefillEnded = emitsToken && !sequence.PrefillDone;
            if (decode)
            {
                TokenScoring.StepLoss loss = _scoring.Attend(sequence, toPosition - 1);
                Stats.RetainedMass.Add(loss.RetainedMass);
                Stats.OutputError.Add(loss.OutputError);
            }
            else
            {
                // A prefill chunk: its queries are scored now, before anything in it can be evicted (after the prefill).
                if (ScoresEveryPromptQuery) _scoring.ScorePromptQueries(sequence, fromPosition, toPosition);
                if (prefillEnded)
                {
                    sequence.PrefillDone = true;
                    if (ScoresEveryPromptQuery) _scoring.SetPromptScores(sequence);
                    if (ScoresWindow) _scoring.ObserveWindow(sequence);
                }
            }
            Stats.TokensEvicted += _eviction.Apply(sequence, prefillEnded, ref table, pool);
            // A low-precision token takes LowBits / 16 of a full one's memory.
            double residentEquivalent = sequence.TotalResident - sequence.TotalLowPrecision * (1 - _compression.LowBits / 16.0);
            Stats.AddSequenceIteration(residentEquivalent, toPosition * copies, HeldPages(table), pool.PagesFor(toPosition), iterationS);
            return toPosition - (int)Math.Round(residentEquivalent / copies);
        }

        /// <summary>Every prepared sequence is applied: the step's attention must all have been taken.</summary>
        public void EndStep() => _step?.End();

        /// <summary>H2O (and MiKV, which ranks by H2O's scores) accumulate attention over every query, the prompt's included.</summary>
        bool ScoresEveryPromptQuery => _rule.ScoresPromptQueries;

        bool ScoresWindow => _rule.Window != WindowUse.None;

        static int HeldPages(in KvPageTable table)
        {
            int held = table.PackedCount;
            for (int page = 0; page < table.PageCount; page++) if (table.Pages[page] >= 0) held++;
            return held;
        }
    }
}
