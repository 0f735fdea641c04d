using System;
using Sim.Core.Snapshots;

namespace Sim.Core.Experts
{
    /// <summary>
    /// The HBM expert slots of one replica, shared by the simulated MoE layers: slots-per-layer × layers experts are
    /// resident at once, any layer's expert in any slot (as in offloading engines with one expert cache). The slots start
    /// filled, each layer's with its lowest-numbered experts, and stay full, so a load evicts, in this order: an expert
    /// already used this iteration (its next use is a forward pass away), then any other; within each class the
    /// policy's lowest key (<c>lru</c>: least recently used; <c>lfu</c>: fewest tokens), ties to the lower index.
    /// Experts the current layer needs or was predicted to need are never evicted for one another, except that a layer
    /// needing more experts than the cache holds reuses the slots of its own experts already run.
    /// </summary>
    public sealed class ExpertCache : ISnapshotState
    {
        readonly int _experts;
        readonly ExpertCachePolicy _policy;
        readonly bool[] _resident;
        readonly bool[] _prefetched;
        readonly long[] _lastUse;
        readonly long[] _uses;
        readonly long[] _usedIteration;
        readonly long[] _protectedStep;
        // The unprotected residents in eviction order, built at a layer step's first eviction: within a step their
        // order cannot change (uses and loads touch only protected experts), so later evictions take the next one still
        // resident and unprotected instead of scanning every slot again.
        readonly long[] _candidateOrder;
        readonly int[] _candidates;
        int _candidateCount, _candidateNext;
        long _candidatesStep = -1;
        long _tick, _iteration, _layerStep;

        /// <param name="layers">The simulated MoE layers (cache layer indices 0..layers − 1).</param>
        public ExpertCache(int layers, int experts, int slotsPerLayer, ExpertCachePolicy policy)
        {
            if (slotsPerLayer < 1) throw new ArgumentOutOfRangeException(nameof(slotsPerLayer), "a layer needs at least one expert slot");
            if (layers * experts > 1 << 15) throw new ArgumentOutOfRangeException(nameof(layers), "at most 32,768 experts are cached (layers x experts)");
            _experts = experts;
            int perLayer = Math.Min(slotsPerLayer, experts);
            _policy = policy;
            _resident = new bool[layers * experts];
            _prefetched = new bool[layers * experts];
            _lastUse = new long[layers * experts];
            _uses = new long[layers * experts];
            _usedIteration = new long[layers * experts];
            _protectedStep = new long[layers * experts];
            _candidateOrder = new long[layers * experts];
            _candidates = new int[layers * experts];
            // Nothing has been used or protected yet.
            _usedIteration.AsSpan().Fill(-1);
            _protectedStep.AsSpan().Fill(-1);
            for (int layer = 0; layer < layers; layer++)
                for (int e = 0; e < perLayer; e++) _resident[layer * experts + e] = true;
        }

        void ISnapshotState.Save(SnapshotWriter writer)
        {
            writer.Write(_resident);
            writer.Write(_prefetched);
            writer.Write(_lastUse);
            writer.Write(_uses);
            writer.Write(_usedIteration);
            writer.Write(_protectedStep);
            writer.Write(_candidateOrder);
            writer.Write(_candidates);
            writer.Write(_candidateCount);
            writer.Write(_candidateNext);
            writer.Write(_candidatesStep);
            writer.Write(_tick);
            writer.Write(_iteration);
            writer.Write(_layerStep);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            reader.ReadInto(_resident);
            reader.ReadInto(_prefetched);
            reader.ReadInto(_lastUse);
            reader.ReadInto(_uses);
            reader.ReadInto(_usedIteration);
            reader.ReadInto(_protectedStep);
            reader.ReadInto(_candidateOrder);
            reader.ReadInto(_candidates);
            _candidateCount = reader.Read<int>();
            _candidateNext = reader.Read<int>();
            _candidatesStep = reader.Read<long>();
            _tick = reader.Read<long>();
            _iteration = reader.Read<long>();
            _layerStep = reader.Read<long>();
        }

        public bool IsResident(int layer, int expert) => _resident[layer * _experts + expert];

        /// <summary>A new iteration (forward pass) begins: nothing has been used in it yet.</summary>
        public void BeginIteration()
        {
            _iteration++;
            _candidatesStep = -1;
        }

        /// <summary>A layer step begins: the experts it protects from now on are not evicted for each other.</summary>
        public void BeginLayer() => _layerStep++;

        /// <summary>
        /// Loads an expert the current layer is predicted to use, ahead of its use; false when it was resident already or
        /// no slot can be had without evicting an expert this layer needs or was predicted to need.
        /// </summary>
        /// <param name="evicted">The slot (layer × experts + expert) evicted to make room, or −1.</param>
        public bool Prefetch(int layer, int expert, out int evicted)
        {
            int slot = layer * _experts + expert;
            _protectedStep[slot] = _layerStep;
            evicted = -1;
            if (_resident[slot]) return false;
            evicted = Victim(slot, allowOwnLayerUsed: false);
            if (evicted < 0) return false;
            Swap(evicted, slot);
            _prefetched[slot] = true;
            return true;
        }

        /// <summary>Marks an expert this layer step needs, so that loads for others spare it until it has run.</summary>
        public void Protect(int layer, int expert) => _protectedStep[layer * _experts + expert] = _layerStep;

        /// <summary>A token batch uses the expert: true on a hit; on a miss it is loaded on demand in place of another.</summary>
        /// <param name="usefulPrefetch">Whether this hit was brought in by a prefetch not used before.</param>
        /// <param name="evicted">The slot evicted by a miss's load, or −1.</param>
        public bool Use(int layer, int expert, int tokens, out bool usefulPrefetch, out int evicted)
        {
            int slot = layer * _experts + expert;
            _protectedStep[slot] = _layerStep;
            _lastUse[slot] = ++_tick;
            _uses[slot] += tokens;
            usefulPrefetch = _prefetched[slot];
            _prefetched[slot] = false;
            evicted = -1;
            bool hit = _resident[slot];
            if (!hit)
            {
                evicted = Victim(slot, allowOwnLayerUsed: true);
                Swap(evicted, slot);
            }
            // Marked used after choosing the victim: an expert is not its own victim.
            _usedIteration[slot] = _iteration;
            return hit;
        }

        /// <summary>The cache starts full and stays full: every load takes an evicted expert's slot.</summary>
        void Swap(int evicted, int loaded)
        {
            _resident[evicted] = false;
            _prefetched[evicted] = false;
            _resident[loaded] = true;
        }

        /// <summary>
        /// The resident expert to evict: unprotected ones first, those used this iteration before the others, each by the
        /// policy's key; with <paramref name="allowOwnLayerUsed"/> (an on-demand load, which cannot wait), then protected
        /// experts already run this layer step, then protected ones not yet used (prefetched beyond what fits). −1 when
        /// none may go.
        /// </summary>
        int Victim(int incoming, bool allowOwnLayerUsed)
        {
            if (_candidatesStep != _layerStep) OrderCandidates();
            for (; _candidateNext < _candidateCount; _candidateNext++)
            {
                int slot = _candidates[_candidateNext];
                if (_resident[slot] && slot != incoming && _protectedStep[slot] != _layerStep) return slot;
            }
            if (!allowOwnLayerUsed) return -1;
            // Only the layer's own experts are left: those already run, then those prefetched but not used.
            int victim = -1, victimClass = int.MaxValue;
            for (int slot = 0; slot < _resident.Length; slot++)
            {
                if (!_resident[slot] || slot == incoming) continue;
                int rank = _usedIteration[slot] == _iteration ? 0 : 1;
                if (rank < victimClass || (rank == victimClass && Key(slot) < Key(victim)))
                {
                    victim = slot;
                    victimClass = rank;
                }
            }
            return victim;
        }

        /// <summary>Sorts the unprotected residents by class (used this iteration first), then key, then slot.</summary>
        void OrderCandidates()
        {
            _candidatesStep = _layerStep;
            _candidateCount = 0;
            _candidateNext = 0;
            for (int slot = 0; slot < _resident.Length; slot++)
            {
                if (!_resident[slot] || _protectedStep[slot] == _layerStep) continue;
                long rank = _usedIteration[slot] == _iteration ? 0 : 1;
                // Class in bit 62, the key (ticks or tokens, far below 2^47 in any run) above 15 bits of slot.
                _candidateOrder[_candidateCount] = rank << 62 | Math.Min(Key(slot), (1L << 47) - 1) << 15 | (long)slot;
                _candidates[_candidateCount++] = slot;
            }
            Array.Sort(_candidateOrder, _candidates, 0, _candidateCount);
        }

        long Key(int slot) => _policy == ExpertCachePolicy.Lfu ? _uses[slot] : _lastUse[slot];
    }
}
