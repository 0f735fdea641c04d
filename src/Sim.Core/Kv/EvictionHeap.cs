using System;
using Sim.Core.Snapshots;

namespace Sim.Core.Kv
{
    /// <summary>
    /// The evictable items of a tier ordered by (score, entry order), with removal of any item. A page's score
    /// inputs only change while it is referenced, so it is scored once as it enters. Ties leave in entry order,
    /// which keeps runs deterministic.
    /// </summary>
    /// <remarks>
    /// Items whose score is at least the last one queued join a sorted run, a doubly linked list in entry order
    /// with O(1) push, pop and removal; the others go to a binary min-heap whose entries carry their keys, so sifting
    /// reads contiguous memory. With LRU every item enters at the current time, so everything stays in the run.
    /// </remarks>
    internal sealed class EvictionHeap : ISnapshotState
    {
        const int Absent = -1;
        const int InRun = -2;

        struct Entry
        {
            public double Score;
            public long Order;
            public int Id;
        }

        Entry[] _heap = new Entry[16];
        int _heapCount;
        int[] _position = Array.Empty<int>(); // heap index, InRun, or Absent
        double[] _runScore = Array.Empty<double>();
        long[] _runOrder = Array.Empty<long>();
        int[] _runPrev = Array.Empty<int>();
        int[] _runNext = Array.Empty<int>();
        int _runHead = Absent, _runTail = Absent, _runCount;
        long _nextOrder;

        public int Count => _heapCount + _runCount;

        void ISnapshotState.Save(SnapshotWriter writer)
        {
            writer.Write(_heap);
            writer.Write(_heapCount);
            writer.Write(_position);
            writer.Write(_runScore);
            writer.Write(_runOrder);
            writer.Write(_runPrev);
            writer.Write(_runNext);
            writer.Write(_runHead);
            writer.Write(_runTail);
            writer.Write(_runCount);
            writer.Write(_nextOrder);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            _heap = reader.Read<Entry[]>();
            _heapCount = reader.Read<int>();
            _position = reader.Read<int[]>();
            _runScore = reader.Read<double[]>();
            _runOrder = reader.Read<long[]>();
            _runPrev = reader.Read<int[]>();
            _runNext = reader.Read<int[]>();
            _runHead = reader.Read<int>();
            _runTail = reader.Read<int>();
            _runCount = reader.Read<int>();
            _nextOrder = reader.Read<long>();
        }

        public bool Contains(int id) => id < _position.Length && _position[id] != Absent;

        public void Push(int id, double score) => Push(id, score, _nextOrder++);

        /// <summary>Pushes with an entry order its owner keeps (each above every order pushed before it).</summary>
        public void Push(int id, double score, long order)
        {
            EnsureId(id);
            if (_runTail == Absent || score >= _runScore[_runTail])
            {
                _runScore[id] = score;
                _runOrder[id] = order;
                _runPrev[id] = _runTail;
                _runNext[id] = Absent;
                if (_runTail == Absent) _runHead = id;
                else _runNext[_runTail] = id;
                _runTail = id;
                _runCount++;
                _position[id] = InRun;
                return;
            }
            if (_heapCount == _heap.Length) Array.Resize(ref _heap, _heapCount * 2);
            _heapCount++;
            SiftUp(_heapCount - 1, new Entry { Score = score, Order = order, Id = id });
        }

        public int PopMin(out double score)
        {
            if (Count == 0) throw new InvalidOperationException("nothing to evict");
            bool fromRun = _heapCount == 0 || (_runHead != Absent && Less(_runScore[_runHead], _runOrder[_runHead], _heap[0]));
            if (fromRun)
            {
                int id = _runHead;
                score = _runScore[id];
                Unlink(id);
                return id;
            }
            Entry min = _heap[0];
            score = min.Score;
            RemoveAt(0);
            return min.Id;
        }

        /// <summary>The lowest (score, entry order) without taking it out; false when empty.</summary>
        public bool TryPeekMin(out int id, out double score, out long order)
        {
            if (Count == 0)
            {
                id = Absent;
                score = 0;
                order = 0;
                return false;
            }
            if (_heapCount == 0 || (_runHead != Absent && Less(_runScore[_runHead], _runOrder[_runHead], _heap[0])))
            {
                id = _runHead;
                score = _runScore[id];
                order = _runOrder[id];
                return true;
            }
            id = _heap[0].Id;
            score = _heap[0].Score;
            order = _heap[0].Order;
            return true;
        }

        /// <summary>Empties the order, touching only the items in it.</summary>
        public void Clear()
        {
            for (int id = _runHead; id != Absent; id = _runNext[id]) _position[id] = Absent;
            for (int at = 0; at < _heapCount; at++) _position[_heap[at].Id] = Absent;
            _runHead = _runTail = Absent;
            _runCount = _heapCount = 0;
        }

        /// <summary>The entry order <paramref name="id"/> was pushed with; it must be in the order.</summary>
        public long OrderOf(int id) => _position[id] == InRun ? _runOrder[id] : _heap[_position[id]].Order;

        public void Remove(int id)
        {
            if (!Contains(id)) return;
            if (_position[id] == InRun) Unlink(id);
            else RemoveAt(_position[id]);
        }

        void Unlink(int id)
        {
            int prev = _runPrev[id], next = _runNext[id];
            if (prev == Absent) _runHead = next;
            else _runNext[prev] = next;
            if (next == Absent) _runTail = prev;
            else _runPrev[next] = prev;
            _runCount--;
            _position[id] = Absent;
        }

        void RemoveAt(int at)
        {
            _position[_heap[at].Id] = Absent;
            _heapCount--;
            if (at == _heapCount) return;
            Entry moved = _heap[_heapCount];
            if (at > 0 && Less(moved, _heap[(at - 1) / 2])) SiftUp(at, moved);
            else SiftDown(at, moved);
        }

        static bool Less(in Entry a, in Entry b) => Less(a.Score, a.Order, b);

        static bool Less(double score, long order, in Entry b) => score < b.Score || (score == b.Score && order < b.Order);

        void SiftUp(int at, Entry entry)
        {
            while (at > 0)
            {
                int parent = (at - 1) / 2;
                if (!Less(entry, _heap[parent])) break;
                Place(_heap[parent], at);
                at = parent;
            }
            Place(entry, at);
        }

        void SiftDown(int at, Entry entry)
        {
            while (true)
            {
                int child = 2 * at + 1;
                if (child >= _heapCount) break;
                if (child + 1 < _heapCount && Less(_heap[child + 1], _heap[child])) child++;
                if (!Less(_heap[child], entry)) break;
                Place(_heap[child], at);
                at = child;
            }
            Place(entry, at);
        }

        void Place(in Entry entry, int at)
        {
            _heap[at] = entry;
            _position[entry.Id] = at;
        }

        void EnsureId(int id)
        {
            if (id < _position.Length) return;
            int length = Math.Max(16, _position.Length * 2);
            while (length <= id) length *= 2;
            int old = _position.Length;
            Array.Resize(ref _position, length);
            Array.Resize(ref _runScore, length);
            Array.Resize(ref _runOrder, length);
            Array.Resize(ref _runPrev, length);
            Array.Resize(ref _runNext, length);
            for (int i = old; i < length; i++) _position[i] = Absent;
        }
    }
}
