using System;
using System.Collections.Generic;
using Sim.Core.Components;
using Sim.Core.Compute;
using Sim.Core.Ecs;
using Sim.Core.Kv;
using Sim.Core.Snapshots;

namespace Sim.Core.Tokens
{
    /// <summary>
    /// World resource of token mode: every resident KV token of an active sequence is a <see cref="KvToken"/> entity
    /// (one per layer group when the policy splits by layer). After each iteration a sequence's new positions become
    /// tokens, a decode step's query attends (<see cref="TokenScoring"/>), and the compression policy evicts down to
    /// the budget (<see cref="TokenEviction"/>), freeing pages whose tokens are all gone.
    /// </summary>
    public sealed class TokenStore : ICustomSnapshot, ISnapshotParts
    {
        readonly World _world;
        readonly AttentionModel _attention;
        readonly KvCompression _compression;
        readonly TokenScoring _scoring;
        readonly TokenEviction _eviction;
        readonly List<SequenceTokens> _sequences = new List<SequenceTokens>();
        readonly Stack<int> _freeSlots = new Stack<int>();

        public TokenStore(World world, AttentionModel attention, KvCompression compression, IComputeBackend backend)
        {
            _world = world;
            _attention = attention;
            _compression = compression;
            _scoring = new TokenScoring(world, attention, backend, compression.Policy == CompressionPolicy.Cake);
            _eviction = new TokenEviction(world, compression, backend, attention.Layers);
        }

        public KvCompressionStats Stats { get; } = new KvCompressionStats();

        /// <summary>Resident token entities of the sequence in <paramref name="slot"/> (all layer groups).</summary>
        public int ResidentTokens(int slot) => _sequences[slot].ResidentCount;

        public int Open(long requestId)
        {
            int slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : AddSlot();
            _sequences[slot].Reset(requestId);
            return slot;
        }

        /// <summary>The sequence ended or lost its KV: its tokens go.</summary>
        public void Close(int slot)
        {
            SequenceTokens sequence = _sequences[slot];
            for (int i = 0; i < sequence.ResidentCount; i++) _world.Destroy(sequence.Resident[i]);
            sequence.ResidentCount = 0;
            _freeSlots.Push(slot);
        }

        /// <summary>Every sequence's tokens (open or free for reuse) and the free slots; the statistics follow as a part.</summary>
        void ICustomSnapshot.Save(SnapshotWriter writer)
        {
            writer.Write(_sequences.Count);
            foreach (SequenceTokens sequence in _sequences) StateFields.Save(sequence, writer);
            writer.Write(_freeSlots.ToArray());
        }

        void ICustomSnapshot.Load(SnapshotReader reader)
        {
            int count = reader.Read<int>();
            if (count < _sequences.Count) throw new SnapshotException("the token store is past the snapshot's; restore into a simulation just built");
            while (_sequences.Count < count) AddSlot();
            foreach (SequenceTokens sequence in _sequences) StateFields.Load(sequence, reader);
            int[] free = reader.Read<int[]>();
            _freeSlots.Clear();
            for (int i = free.Length - 1; i >= 0; i--) _freeSlots.Push(free[i]);
        }

        IEnumerable<object> ISnapshotParts.SnapshotParts
        {
            get { yield return Stats; }
        }

        int AddSlot()
        {
            _sequences.Add(new SequenceTokens(_attention.Layers));
            return _sequences.Count - 1;
        }

        /// <summary>
        /// Applies an iteration that computed positions [<paramref name="fromPosition"/>, <paramref name="toPosition"/>) of the
        /// sequence: tokens, attention, eviction and freed pages. Returns the tokens evicted so far, in whole tokens (a
        /// token evicted from some layer groups only counts for that share), which attention no longer reads.
        /// </summary>
        /// <param name="emitsToken">Whether the iteration ends with the sequence producing an output token (a decode, or the end of a prefill).</param>
        public int Advance(int slot, int fromPosition, int toPosition, bool emitsToken, ref KvPageTable table, KvBlockPool pool, double iterationS)
        {
            SequenceTokens sequence = _sequences[slot];
            int layers = _attention.Layers;
            sequence.EnsureCapacity(toPosition, pool.PagesFor(toPosition));
            for (int position = fromPosition; position < toPosition; position++)
            {
                _attention.KeyOf(sequence.RequestId, position, new Span<float>(sequence.Keys, position * AttentionModel.KeyDim, AttentionModel.KeyDim));
                for (int layer = 0; layer < layers; layer++)
                    sequence.Resident[sequence.ResidentCount++] = _world.Create(new KvToken { Sequence = slot, Position = position, Layer = layer, LastAttendedStep = -1, Bits = 16 });
                sequence.LivePerPage[position / pool.BlockTokens] += layers;
            }
            for (int layer = 0; layer < layers; layer++) sequence.ResidentPerLayer[layer] += toPosition - fromPosition;
            sequence.Positions = toPosition;

            bool decode = toPosition - fromPosition == 1 && fromPosition > 0 && emitsToken;
            bool prefillEnded = emitsToken && !decode;
            if (decode) Stats.RetainedMass.Add(_scoring.Attend(sequence, toPosition - 1));
            else if (prefillEnded && NeedsScores) ObservePrefill(sequence);
            Stats.TokensEvicted += _eviction.Apply(sequence, prefillEnded, decode, ref table, pool);
            // A low-precision token takes LowBits / 16 of a full one's memory.
            double residentEquivalent = sequence.ResidentCount - sequence.LowPrecisionCount * (1 - _compression.LowBits / 16.0);
            Stats.AddSequenceIteration(residentEquivalent, toPosition * layers, iterationS);
            return toPosition - sequence.ResidentCount / layers;
        }

        bool NeedsScores => _compression.Policy != CompressionPolicy.Full && _compression.Policy != CompressionPolicy.Window && _compression.Policy != CompressionPolicy.Streaming;

        /// <summary>The end of a prefill: the last prompt positions' queries score the prompt (SnapKV's observation window).</summary>
        void ObservePrefill(SequenceTokens sequence)
        {
            int window = Math.Min(_compression.ObservationWindow, sequence.Positions);
            for (int query = sequence.Positions - window; query < sequence.Positions; query++)
                _scoring.Attend(sequence, query);
        }
    }
}
