using System;
using Sim.Core.Compute;
using Sim.Core.Snapshots;

namespace Sim.Core.Kv
{
    /// <summary>
    /// A memory tier below HBM (host DRAM, SSD) holding evicted cached prompt blocks by content key. Tiers are
    /// exclusive: a hit moves the block back up to HBM, and a block evicted here moves on to the next tier down.
    /// </summary>
    public sealed class KvTier : ISnapshotState, IAwaitingScores
    {

        readonly KeyIndex _slotOfKey = new KeyIndex();
        readonly EvictionHeap _heap = new EvictionHeap();
        readonly EvictionPolicy _policy;
        readonly IComputeBackend _backend;
        ulong[] _keyOfSlot = new ulong[16];
        BlockUsage[] _usage = new BlockUsage[16];
        int[] _freeSlots = new int[16]; // never more free slots than slots: grows with them
        // Slots inserted and not yet scored, in insertion order (IAwaitingScores), and scratch for scoring them; grow with the slots.
        int[] _awaiting = new int[16];
        BlockUsage[] _awaitingUsage = new BlockUsage[16];
        double[] _awaitingScores = new double[16];
        int _freeCount, _usedSlots, _awaitingCount;
        double _inflationScore;

        public KvTier(string name, long capacityBlocks, double bandwidthBytesPerS, EvictionPolicy policy, IComputeBackend backend)
        {
            if (capacityBlocks < 1) throw new ArgumentOutOfRangeException(nameof(capacityBlocks), "a tier holds at least one block");
            Name = name;
            CapacityBlocks = capacityBlocks;
            BandwidthBytesPerS = bandwidthBytesPerS;
            _policy = policy;
            _backend = backend;
        }

        public string Name { get; }

        /// <summary>The slots (which grow with use), their keys and eviction order.</summary>
        void ISnapshotState.Save(SnapshotWriter writer)
        {
            writer.Write(_keyOfSlot);
            writer.Write(_usage);
            writer.Write(_freeSlots);
            writer.Write(_freeCount);
            writer.Write(_usedSlots);
            writer.Write(_awaiting);
            writer.Write(_awaitingCount);
            writer.Write(_inflationScore);
            ((ISnapshotState)_slotOfKey).Save(writer);
            ((ISnapshotState)_heap).Save(writer);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            _keyOfSlot = reader.Read<ulong[]>();
            _usage = reader.Read<BlockUsage[]>();
            _freeSlots = reader.Read<int[]>();
            _freeCount = reader.Read<int>();
            _usedSlots = reader.Read<int>();
            _awaiting = reader.Read<int[]>();
            _awaitingCount = reader.Read<int>();
            _awaitingUsage = new BlockUsage[_awaiting.Length];
            _awaitingScores = new double[_awaiting.Length];
            _inflationScore = reader.Read<double>();
            ((ISnapshotState)_slotOfKey).Load(reader);
            ((ISnapshotState)_heap).Load(reader);
        }

        public long CapacityBlocks { get; }

        /// <summary>Copy bandwidth between this tier and HBM for the whole replica (all its GPUs' links together).</summary>
        public double BandwidthBytesPerS { get; }

        public int Blocks => _slotOfKey.Count;

        public bool Contains(ulong key) => _slotOfKey.ContainsKey(key);

        /// <summary>Removes the block keyed <paramref name="key"/> (on its way up to HBM); false when absent.</summary>
        public bool TryTake(ulong key, out BlockUsage usage)
        {
            if (!_slotOfKey.TryGetValue(key, out int slot))
            {
                usage = default;
                return false;
            }
            usage = _usage[slot];
            _slotOfKey.Remove(key);
            if (!TakeAwaiting(slot)) _heap.Remove(slot);
            _freeSlots[_freeCount++] = slot;
            return true;
        }

        /// <summary>
        /// Stores a block; when the tier is full, first evicts its lowest-scored block, returned through
        /// <paramref name="evictedKey"/>. The block is scored with the step's other releases (<see cref="IAwaitingScores"/>),
        /// or at the next insert that evicts, whichever comes first: an evicting insert needs every earlier block's score
        /// before it picks its victim, so on a full tier each insert still costs one scoring call.
        /// </summary>
        /// <returns>Whether a block was evicted.</returns>
        public bool Insert(ulong key, in BlockUsage usage, out ulong evictedKey, out BlockUsage evictedUsage)
        {
            bool evicted = false;
            evictedKey = 0;
            evictedUsage = default;
            if (_slotOfKey.Count >= CapacityBlocks)
            {
                ScoreAwaiting();
                int victim = _heap.PopMin(out _inflationScore);
                evictedKey = _keyOfSlot[victim];
                evictedUsage = _usage[victim];
                _slotOfKey.Remove(evictedKey);
                _freeSlots[_freeCount++] = victim;
                evicted = true;
            }
            int slot = _freeCount > 0 ? _freeSlots[--_freeCount] : NewSlot();
            _keyOfSlot[slot] = key;
            _usage[slot] = usage;
            _slotOfKey.Add(key, slot);
            _awaiting[_awaitingCount++] = slot;
            return evicted;
        }

        /// <summary>Scores the awaiting slots in one call and enters them in insertion order, before the order is read.</summary>
        void ScoreAwaiting()
        {
            if (_awaitingCount == 0) return;
            ((IAwaitingScores)this).WriteAwaitingUsage(_awaitingUsage);
            _backend.ScoreEviction(_policy, new ReadOnlySpan<BlockUsage>(_awaitingUsage, 0, _awaitingCount), _inflationScore, _awaitingScores);
            ((IAwaitingScores)this).EnterScored(_awaitingScores);
        }

        /// <summary>Takes <paramref name="slot"/> out of the awaiting ones (on its way up before being scored); false when it is not one.</summary>
        bool TakeAwaiting(int slot)
        {
            int at = Array.IndexOf(_awaiting, slot, 0, _awaitingCount);
            if (at < 0) return false;
            _awaitingCount--;
            Array.Copy(_awaiting, at + 1, _awaiting, at, _awaitingCount - at);
            return true;
        }

        int IAwaitingScores.AwaitingCount => _awaitingCount;

        double IAwaitingScores.InflationScore => _inflationScore;

        void IAwaitingScores.WriteAwaitingUsage(Span<BlockUsage> into)
        {
            for (int i = 0; i < _awaitingCount; i++) into[i] = _usage[_awaiting[i]];
        }

        void IAwaitingScores.EnterScored(ReadOnlySpan<double> scores)
        {
            for (int i = 0; i < _awaitingCount; i++) _heap.Push(_awaiting[i], scores[i]);
            _awaitingCount = 0;
        }

        int NewSlot()
        {
            if (_usedSlots == _keyOfSlot.Length)
            {
                Array.Resize(ref _keyOfSlot, _usedSlots * 2);
                Array.Resize(ref _usage, _usedSlots * 2);
                Array.Resize(ref _freeSlots, _usedSlots * 2);
                Array.Resize(ref _awaiting, _usedSlots * 2);
                _awaitingUsage = new BlockUsage[_usedSlots * 2];
                _awaitingScores = new double[_usedSlots * 2];
            }
            return _usedSlots++;
        }
    }
}
