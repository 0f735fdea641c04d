using System;
using System.Collections.Generic;
using Sim.Core.Compute;

namespace Sim.Core.Kv
{
    /// <summary>
    /// A memory tier below HBM (host DRAM, SSD) holding copies of evicted cached pages by content key. Tiers are
    /// exclusive: a hit moves the page back up to HBM, and a page evicted here moves on to the next tier down.
    /// </summary>
    public sealed class KvTier
    {
        readonly Dictionary<ulong, int> _slotOfKey = new Dictionary<ulong, int>();
        readonly EvictionHeap _heap = new EvictionHeap();
        readonly EvictionPolicy _policy;
        readonly IComputeBackend _backend;
        readonly double[] _score = new double[1];
        ulong[] _keyOfSlot = new ulong[16];
        PageUsage[] _usage = new PageUsage[16];
        int[] _freeSlots = new int[16]; // never more free slots than slots: grows with them
        int _freeCount, _usedSlots;
        double _inflationScore;

        public KvTier(string name, long capacityPages, double bandwidthBytesPerS, EvictionPolicy policy, IComputeBackend backend)
        {
            if (capacityPages < 1) throw new ArgumentOutOfRangeException(nameof(capacityPages), "a tier holds at least one page");
            Name = name;
            CapacityPages = capacityPages;
            BandwidthBytesPerS = bandwidthBytesPerS;
            _policy = policy;
            _backend = backend;
        }

        public string Name { get; }

        public long CapacityPages { get; }

        /// <summary>Copy bandwidth between this tier and HBM for the whole replica (all its GPUs' links together).</summary>
        public double BandwidthBytesPerS { get; }

        public int Pages => _slotOfKey.Count;

        public bool Contains(ulong key) => _slotOfKey.ContainsKey(key);

        /// <summary>Removes the page keyed <paramref name="key"/> (on its way up to HBM); false when absent.</summary>
        public bool TryTake(ulong key, out PageUsage usage)
        {
            if (!_slotOfKey.TryGetValue(key, out int slot))
            {
                usage = default;
                return false;
            }
            usage = _usage[slot];
            _slotOfKey.Remove(key);
            _heap.Remove(slot);
            _freeSlots[_freeCount++] = slot;
            return true;
        }

        /// <summary>Stores a page; when the tier is full, first evicts its lowest-scored page, returned through <paramref name="evictedKey"/>.</summary>
        /// <returns>Whether a page was evicted.</returns>
        public bool Insert(ulong key, in PageUsage usage, out ulong evictedKey, out PageUsage evictedUsage)
        {
            bool evicted = false;
            evictedKey = 0;
            evictedUsage = default;
            if (_slotOfKey.Count >= CapacityPages)
            {
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
            _backend.ScoreEviction(_policy, new ReadOnlySpan<PageUsage>(_usage, slot, 1), _inflationScore, _score);
            _heap.Push(slot, _score[0]);
            return evicted;
        }

        int NewSlot()
        {
            if (_usedSlots == _keyOfSlot.Length)
            {
                Array.Resize(ref _keyOfSlot, _usedSlots * 2);
                Array.Resize(ref _usage, _usedSlots * 2);
                Array.Resize(ref _freeSlots, _usedSlots * 2);
            }
            return _usedSlots++;
        }
    }
}
