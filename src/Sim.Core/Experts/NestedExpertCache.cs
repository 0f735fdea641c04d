using System;
using Sim.Core.Snapshots;

namespace Sim.Core.Experts
{
    /// <summary>
    /// HBM's expert cache for bit-nested experts, counting bytes rather than experts: each (layer, expert) is resident
    /// up to a nested level (0: nothing; level i: the narrowest i widths' bits, a prefix of the wider ones). It starts
    /// empty. Making room drops the top level of the least recently used expert the current layer step does not need that
    /// holds refinement bits (above its narrowest width), again and again, so cold experts stay usable at fewer bits. A
    /// refinement takes only such bits: hot experts gain bits at colder experts' expense but never make another miss. A
    /// first load, which cannot wait, then empties unneeded experts, least recently used first, and last trims the
    /// refinement bits of experts the layer step needs.
    /// </summary>
    public sealed class NestedExpertCache : ISnapshotState
    {
        readonly int _experts;
        readonly double[] _levelBytes;
        readonly int[] _level;
        readonly long[] _lastUse;
        readonly long[] _protectedStep;
        readonly int[] _emptied;
        int _emptiedCount;
        long _tick, _layerStep;

        /// <param name="layers">The simulated MoE layers (cache layer indices 0..layers − 1).</param>
        /// <param name="levelBytes">Bytes of one expert at each level, level 0 (nothing) first.</param>
        public NestedExpertCache(int layers, int experts, double[] levelBytes, double capacityBytes)
        {
            if (capacityBytes < experts * levelBytes[1]) throw new ArgumentOutOfRangeException(nameof(capacityBytes), "the cache must hold one layer's experts at the narrowest width");
            _experts = experts;
            _levelBytes = levelBytes;
            CapacityBytes = capacityBytes;
            _level = new int[layers * experts];
            _lastUse = new long[layers * experts];
            _protectedStep = new long[layers * experts];
            _protectedStep.AsSpan().Fill(-1);
            _emptied = new int[layers * experts];
        }

        public double CapacityBytes { get; }

        public double UsedBytes { get; private set; }

        void ISnapshotState.Save(SnapshotWriter writer)
        {
            writer.Write(_level);
            writer.Write(_lastUse);
            writer.Write(_protectedStep);
            writer.Write(_emptied);
            writer.Write(_emptiedCount);
            writer.Write(_tick);
            writer.Write(_layerStep);
            writer.Write(UsedBytes);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            reader.ReadInto(_level);
            reader.ReadInto(_lastUse);
            reader.ReadInto(_protectedStep);
            reader.ReadInto(_emptied);
            _emptiedCount = reader.Read<int>();
            _tick = reader.Read<long>();
            _layerStep = reader.Read<long>();
            UsedBytes = reader.Read<double>();
        }

        /// <summary>The widest nested level.</summary>
        public int TopLevel => _levelBytes.Length - 1;

        public int Level(int layer, int expert) => _level[layer * _experts + expert];

        /// <summary>A layer step begins: the experts it protects from now on are not evicted for each other.</summary>
        public void BeginLayer() => _layerStep++;

        /// <summary>Marks an expert this layer step uses: loads for others do not drop its bits.</summary>
        public void Protect(int layer, int expert) => _protectedStep[layer * _experts + expert] = _layerStep;

        /// <summary>The expert serves tokens now (its recency for eviction).</summary>
        public void Touch(int layer, int expert) => _lastUse[layer * _experts + expert] = ++_tick;

        /// <summary>
        /// Loads the expert's bits up to <paramref name="level"/>, making room from the refinement bits of unprotected
        /// experts; a <paramref name="firstLoad"/> (the narrowest width) then from their narrowest parts, then from the
        /// refinement bits of protected ones. False, with nothing loaded, when no room can be had.
        /// </summary>
        /// <param name="bytes">Bytes moved: the difference between the two levels.</param>
        public bool TryRaise(int layer, int expert, int level, bool firstLoad, out double bytes)
        {
            int slot = layer * _experts + expert;
            bytes = _levelBytes[level] - _levelBytes[_level[slot]];
            if (bytes <= 0)
            {
                bytes = 0;
                return true;
            }
            while (UsedBytes + bytes > CapacityBytes * (1 + 1e-12))
            {
                int victim = Victim(slot, protectedToo: false, lowestLevel: 2);
                if (victim < 0 && firstLoad) victim = Victim(slot, protectedToo: false, lowestLevel: 1);
                if (victim < 0 && firstLoad) victim = Victim(slot, protectedToo: true, lowestLevel: 2);
                if (victim < 0)
                {
                    bytes = 0;
                    return false;
                }
                Lower(victim);
            }
            UsedBytes += bytes;
            _level[slot] = level;
            return true;
        }

        /// <summary>Slots (layer × experts + expert) that lost their last bits since the last call, into <paramref name="into"/>; returns how many.</summary>
        public int TakeEmptied(int[] into)
        {
            int count = _emptiedCount;
            Array.Copy(_emptied, into, count);
            _emptiedCount = 0;
            return count;
        }

        /// <summary>Drops the slot's top level.</summary>
        void Lower(int slot)
        {
            int level = _level[slot];
            UsedBytes -= _levelBytes[level] - _levelBytes[level - 1];
            _level[slot] = level - 1;
            if (level == 1) _emptied[_emptiedCount++] = slot;
        }

        /// <summary>
        /// The least recently used expert other than <paramref name="incoming"/> resident at <paramref name="lowestLevel"/> or
        /// above, ties to the lower slot, among the unprotected or with <paramref name="protectedToo"/> the protected; −1 when none.
        /// </summary>
        int Victim(int incoming, bool protectedToo, int lowestLevel)
        {
            int victim = -1;
            for (int slot = 0; slot < _level.Length; slot++)
            {
                if (slot == incoming || _level[slot] < lowestLevel) continue;
                if ((_protectedStep[slot] == _layerStep) != protectedToo) continue;
                if (victim < 0 || _lastUse[slot] < _lastUse[victim]) victim = slot;
            }
            return victim;
        }
    }
}
