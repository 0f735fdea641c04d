using System;

namespace Sim.Core.Compute
{
    public sealed partial class CpuBackend
    {
        /// <remarks>A max-heap of the k best so far kept in <paramref name="lowest"/> itself, then sorted in place: O(n log k), nothing allocated.</remarks>
        public void SelectLowest(ReadOnlySpan<float> keys, Span<int> lowest)
        {
            int k = lowest.Length;
            if (k > keys.Length) throw new ArgumentException("cannot select " + k + " of " + keys.Length, nameof(lowest));
            if (k == 0) return;
            for (int i = 0; i < k; i++)
            {
                lowest[i] = i;
                SiftUp(keys, lowest, i);
            }
            for (int i = k; i < keys.Length; i++)
            {
                if (!Before(keys, i, lowest[0])) continue;
                lowest[0] = i;
                SiftDown(keys, lowest, 0, k);
            }
            // Heap sort: the largest goes to the end each round, leaving ascending order.
            for (int end = k - 1; end > 0; end--)
            {
                (lowest[0], lowest[end]) = (lowest[end], lowest[0]);
                SiftDown(keys, lowest, 0, end);
            }
        }

        /// <summary>Whether element a comes before element b: a smaller key, or an equal key and a lower index.</summary>
        static bool Before(ReadOnlySpan<float> keys, int a, int b) => keys[a] < keys[b] || (keys[a] == keys[b] && a < b);

        static void SiftUp(ReadOnlySpan<float> keys, Span<int> heap, int at)
        {
            while (at > 0)
            {
                int parent = (at - 1) / 2;
                if (!Before(keys, heap[parent], heap[at])) break;
                (heap[parent], heap[at]) = (heap[at], heap[parent]);
                at = parent;
            }
        }

        static void SiftDown(ReadOnlySpan<float> keys, Span<int> heap, int at, int count)
        {
            while (true)
            {
                int child = 2 * at + 1;
                if (child >= count) return;
                if (child + 1 < count && Before(keys, heap[child], heap[child + 1])) child++;
                if (!Before(keys, heap[at], heap[child])) return;
                (heap[at], heap[child]) = (heap[child], heap[at]);
                at = child;
            }
        }
    }
}
