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
    /// budget (<see cref="TokenEviction"/>), freeing pages whose tokens are all gone.
    /// </summary>
    public sealed class TokenStore : ISnapshotState
    {
        readonly World _world;
        readonly AttentionModel _attention;
        readonly KvCompression _compression;
        readonly TokenRule _rule;
        readonly TokenScoring _scoring;
        readonly TokenEviction _eviction;
        readonly List<SequenceTokens> _sequences = new List<SequenceTokens>();
        readonly Stack<int> _freeSlots = new Stack<int>();

        public TokenStore(World world, AttentionModel attention, KvCompression compression, IComputeBackend backend)
        {
            _world = world;
            _attention = attention;
            _compression = compression;
            _rule = compression.Policy.Rule();
            _scoring = new TokenScoring(attention, compression, backend);
            _eviction = new TokenEviction(world, compression, backend, attention);
        }

        public KvCompressionStats Stats { get; } = new KvCompressionStats();

        /// <summary>Resident token entities of the sequence in <paramref name="slot"/> (all copies).</summary>
        public int ResidentTokens(int slot) => _sequences[slot].TotalResident;

        public int Open(long requestId, int promptTokens)
        {
            int slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : AddSlot();
            _sequences[slot].Reset(requestId, promptTokens);
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
        }

        int AddSlot()
        {
            _sequences.Add(new SequenceTokens(_attention.Copies, _rule.Demotes));
            return _sequences.Count - 1;
        }

        /// <summary>
        /// Applies an iteration that computed positions [<paramref name="fromPosition"/>, <paramref name="toPosition"/>) of the
        /// sequence: tokens, attention, eviction and freed pages. Returns the tokens attention no longer reads, in whole
        /// tokens (the mean over copies, a low-precision token counted at its share of the bytes).
        /// </summary>
        /// <param name="emitsToken">Whether the iteration ends with the sequence producing an output token (a decode, or the end of a prefill).</param>
        public int Advance(int slot, int fromPosition, int toPosition, bool emitsToken, ref KvPageTable table, KvBlockPool pool, double iterationS)
        {
            const int d = AttentionModel.KeyDim;
            SequenceTokens sequence = _sequences[slot];
            int copies = sequence.Copies;
            sequence.EnsureCapacity(toPosition, pool.PagesFor(toPosition));
            for (int position = fromPosition; position < toPosition; position++)
            {
                for (int copy = 0; copy < copies; copy++)
                {
                    _attention.KeyOf(copy, sequence.RequestId, position, sequence.PromptTokens, sequence.Row(sequence.Keys, copy, position));
                    _attention.ValueOf(copy, sequence.RequestId, position, sequence.Row(sequence.Values, copy, position));
                    if (sequence.KeyError.Length > 0)
                    {
                        Array.Clear(sequence.KeyError, sequence.RowStart(copy, position), d);
                        Array.Clear(sequence.ValueError, sequence.RowStart(copy, position), d);
                    }
                    sequence.AddResident(copy, _world.Create(new KvToken { Sequence = slot, Position = position, Copy = copy, Bits = 16 }), position);
                }
                sequence.LivePerPage[position / pool.BlockTokens] += copies;
            }
            sequence.Positions = toPosition;

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
