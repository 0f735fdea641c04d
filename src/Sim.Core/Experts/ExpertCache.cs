using System;

namespace Sim.Core.Experts
{
    /// <summary>
    /// The HBM slots of each MoE layer of one replica: which experts are resident, and which to evict when a miss or a
    /// prefetch brings one in (<c>lru</c>: least recently used; <c>lfu</c>: fewest uses; ties to the lower index).
    /// The experts a layer step has asked for are spared while it loads others. The first slots start filled with
    /// the lowest-numbered experts.
    /// </summary>
    public sealed class ExpertCache
    {
        readonly int _experts, _slots;
        readonly ExpertCachePolicy _policy;
        readonly bool[] _resident;
        readonly bool[] _prefetched;
        readonly long[] _lastUse;
        readonly long[] _uses;
        readonly int[] _residentCount;
        readonly long[] _neededStep;
        long _tick, _step;

        public ExpertCache(int layers, int experts, int slotsPerLayer, ExpertCachePolicy policy)
        {
            if (slotsPerLayer < 1) throw new ArgumentOutOfRangeException(nameof(slotsPerLayer), "a layer needs at least one expert slot");
            _experts = experts;
            _slots = Math.Min(slotsPerLayer, experts);
            _policy = policy;
            _resident = new bool[layers * experts];
            _prefetched = new bool[layers * experts];
            _lastUse = new long[layers * experts];
            _uses = new long[layers * experts];
            _residentCount = new int[layers];
            _neededStep = new long[layers * experts];
            for (int layer = 0; layer < layers; layer++)
            {
                for (int e = 0; e < _slots; e++) _resident[layer * experts + e] = true;
                _residentCount[layer] = _slots;
            }
        }

        public bool IsResident(int layer, int expert) => _resident[layer * _experts + expert];

        /// <summary>A layer step begins: the experts it prefetches or uses from now on are not evicted to make room for each other.</summary>
        public void BeginStep() => _step++;

        /// <summary>A token batch uses the expert: true on a hit; on a miss it is loaded, evicting another if the layer is full.</summary>
        /// <param name="usefulPrefetch">Whether this hit was brought in by a prefetch not used before.</param>
        public bool Use(int layer, int expert, int tokens, out bool usefulPrefetch)
        {
            int slot = layer * _experts + expert;
            _neededStep[slot] = _step;
            _lastUse[slot] = ++_tick;
            _uses[slot] += tokens;
            usefulPrefetch = _prefetched[slot];
            _prefetched[slot] = false;
            if (_resident[slot]) return true;
            Load(layer, slot);
            return false;
        }

        /// <summary>Loads an expert ahead of use; false when it was resident already.</summary>
        public bool Prefetch(int layer, int expert)
        {
            int slot = layer * _experts + expert;
            _neededStep[slot] = _step;
            if (_resident[slot]) return false;
            Load(layer, slot);
            _prefetched[slot] = true;
            _lastUse[slot] = ++_tick;
            return true;
        }

        void Load(int layer, int slot)
        {
            if (_residentCount[layer] == _slots) Evict(layer, slot);
            else _residentCount[layer]++;
            _resident[slot] = true;
        }

        /// <summary>Evicts the lowest-keyed resident expert, sparing those the current step needs unless every one is.</summary>
        void Evict(int layer, int incoming)
        {
            int victim = -1;
            bool victimNeeded = true;
            for (int e = 0; e < _experts; e++)
            {
                int slot = layer * _experts + e;
                if (!_resident[slot] || slot == incoming) continue;
                bool needed = _neededStep[slot] == _step;
                if (victim < 0 || (victimNeeded && !needed) || (needed == victimNeeded && Key(slot) < Key(victim)))
                {
                    victim = slot;
                    victimNeeded = needed;
                }
            }
            _resident[victim] = false;
            _prefetched[victim] = false;
        }

        long Key(int slot) => _policy == ExpertCachePolicy.Lfu ? _uses[slot] : _lastUse[slot];
    }
}
