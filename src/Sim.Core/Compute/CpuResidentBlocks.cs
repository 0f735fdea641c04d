using System;
using Sim.Core.Kv;

namespace Sim.Core.Compute
{
    /// <summary>
    /// The CPU reference of <see cref="IResidentBlocks"/>: every block scored, then the k lowest evictable (score, entry
    /// order) pairs kept in a bounded max-heap over the blocks and sorted out of it.
    /// </summary>
    public sealed class CpuResidentBlocks : IResidentBlocks
    {
        /// <summary>The entry order of a block that is not evictable.</summary>
        public const uint Absent = uint.MaxValue;

        readonly EvictionPolicy _policy;
        readonly BlockUsage[] _usage;
        readonly uint[] _entryOrder;
        readonly double[] _entryInflation;
        readonly double[] _scores;

        public CpuResidentBlocks(int blocks, EvictionPolicy policy)
        {
            if (blocks <= 0) throw new ArgumentOutOfRangeException(nameof(blocks), blocks, "at least one block");
            _policy = policy;
            _usage = new BlockUsage[blocks];
            _entryOrder = new uint[blocks];
            _entryOrder.AsSpan().Fill(Absent);
            _entryInflation = new double[blocks];
            _scores = new double[blocks];
        }

        public int Blocks => _usage.Length;

        public int Evictable { get; private set; }

        public void Write(int block, in BlockUsage usage, uint entryOrder, double entryInflationScore)
        {
            if (entryOrder == Absent) throw new ArgumentOutOfRangeException(nameof(entryOrder), entryOrder, "below uint.MaxValue");
            if (_entryOrder[block] == Absent) Evictable++;
            _usage[block] = usage;
            _entryOrder[block] = entryOrder;
            _entryInflation[block] = entryInflationScore;
        }

        public void Remove(int block)
        {
            if (_entryOrder[block] == Absent) return;
            _entryOrder[block] = Absent;
            Evictable--;
        }

        public void Step(Span<int> lowest, Span<double> lowestScores)
        {
            int k = lowest.Length;
            if (k > Evictable) throw new ArgumentException("cannot select " + k + " of " + Evictable + " evictable blocks", nameof(lowest));
            if (lowestScores.Length != 0 && lowestScores.Length != k) throw new ArgumentException("a score for each of the " + k + " victims, or none", nameof(lowestScores));
            if (k == 0) return;
            if (!_policy.ReadsInflation()) CpuBackend.Instance.ScoreEviction(_policy, _usage, 0, _scores);
            else
                for (int b = 0; b < _usage.Length; b++)
                    CpuBackend.Instance.ScoreEviction(_policy, new ReadOnlySpan<BlockUsage>(_usage, b, 1), _entryInflation[b], new Span<double>(_scores, b, 1));
            int size = 0;
            for (int b = 0; b < _usage.Length; b++)
            {
                if (_entryOrder[b] == Absent) continue;
                if (size < k)
                {
                    lowest[size] = b;
                    SiftUp(lowest, size++);
                }
                else if (Before(b, lowest[0]))
                {
                    lowest[0] = b;
                    SiftDown(lowest, 0, k);
                }
            }
            // The max-heap's root to the end, repeatedly: ascending.
            for (int end = k - 1; end > 0; end--)
            {
                (lowest[0], lowest[end]) = (lowest[end], lowest[0]);
                SiftDown(lowest, 0, end);
            }
            // The device reads its scores back from sortable words, which hold -0 as +0.
            for (int i = 0; i < lowestScores.Length; i++) lowestScores[i] = _scores[lowest[i]] == 0 ? 0.0 : _scores[lowest[i]];
        }

        /// <summary>Whether block a comes before block b in eviction order (-0 equals +0, as the device's sortable words).</summary>
        bool Before(int a, int b) => _scores[a] < _scores[b] || (_scores[a] == _scores[b] && _entryOrder[a] < _entryOrder[b]);

        void SiftUp(Span<int> heap, int at)
        {
            while (at > 0)
            {
                int parent = (at - 1) / 2;
                if (!Before(heap[parent], heap[at])) return;
                (heap[parent], heap[at]) = (heap[at], heap[parent]);
                at = parent;
            }
        }

        void SiftDown(Span<int> heap, int at, int size)
        {
            while (true)
            {
                int child = 2 * at + 1;
                if (child >= size) return;
                if (child + 1 < size && Before(heap[child], heap[child + 1])) child++;
                if (!Before(heap[at], heap[child])) return;
                (heap[at], heap[child]) = (heap[child], heap[at]);
                at = child;
            }
        }

        public void Dispose()
        {
        }
    }
}
