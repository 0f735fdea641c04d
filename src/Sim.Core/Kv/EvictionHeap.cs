using System;

namespace Sim.Core.Kv
{
    /// <summary>
    /// Min-heap of item ids by (score, entry order), with removal of any item: the unreferenced cached pages of
    /// a tier. A page's score inputs only change while it is referenced, so it is scored once as it enters.
    /// Ties leave in entry order, which keeps runs deterministic.
    /// </summary>
    internal sealed class EvictionHeap
    {
        const int Absent = -1;

        int[] _heap = new int[16];
        int[] _position = Array.Empty<int>();
        double[] _score = Array.Empty<double>();
        long[] _order = Array.Empty<long>();
        long _nextOrder;

        public int Count { get; private set; }

        public bool Contains(int id) => id < _position.Length && _position[id] != Absent;

        public void Push(int id, double score)
        {
            EnsureId(id);
            if (Count == _heap.Length) Array.Resize(ref _heap, Count * 2);
            _score[id] = score;
            _order[id] = _nextOrder++;
            _heap[Count] = id;
            _position[id] = Count;
            Count++;
            SiftUp(Count - 1);
        }

        public int PopMin(out double score)
        {
            if (Count == 0) throw new InvalidOperationException("nothing to evict");
            int id = _heap[0];
            score = _score[id];
            RemoveAt(0);
            return id;
        }

        public void Remove(int id)
        {
            if (Contains(id)) RemoveAt(_position[id]);
        }

        void RemoveAt(int at)
        {
            int id = _heap[at];
            _position[id] = Absent;
            Count--;
            if (at == Count) return;
            int moved = _heap[Count];
            _heap[at] = moved;
            _position[moved] = at;
            SiftDown(at);
            SiftUp(_position[moved]);
        }

        bool Less(int a, int b) => _score[a] < _score[b] || (_score[a] == _score[b] && _order[a] < _order[b]);

        void SiftUp(int at)
        {
            int id = _heap[at];
            while (at > 0)
            {
                int parent = (at - 1) / 2;
                if (!Less(id, _heap[parent])) break;
                Place(_heap[parent], at);
                at = parent;
            }
            Place(id, at);
        }

        void SiftDown(int at)
        {
            int id = _heap[at];
            while (true)
            {
                int child = 2 * at + 1;
                if (child >= Count) break;
                if (child + 1 < Count && Less(_heap[child + 1], _heap[child])) child++;
                if (!Less(_heap[child], id)) break;
                Place(_heap[child], at);
                at = child;
            }
            Place(id, at);
        }

        void Place(int id, int at)
        {
            _heap[at] = id;
            _position[id] = at;
        }

        void EnsureId(int id)
        {
            if (id < _position.Length) return;
            int length = Math.Max(16, _position.Length * 2);
            while (length <= id) length *= 2;
            int old = _position.Length;
            Array.Resize(ref _position, length);
            Array.Resize(ref _score, length);
            Array.Resize(ref _order, length);
            for (int i = old; i < length; i++) _position[i] = Absent;
        }
    }
}
