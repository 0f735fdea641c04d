using System;

namespace Sim.Core.Compute
{
    public sealed partial class CpuBackend
    {
        /// <remarks>A max-heap of the k best so far kept in <paramref name="lowest"/> itself, then sorted in place: O(n log k), nothing allocated.</remarks>
        public void SelectLowest(ReadOnlySpan<float> keys, Span<int> lowest) => SelectLowestOf(keys, lowest);

        /// <summary>The same selection over double keys (resident eviction scores are doubles).</summary>
        public void SelectLowest(ReadOnlySpan<double> keys, Span<int> lowest) => SelectLowestOf(keys, lowest);

        static void SelectLowestOf<TKey>(ReadOnlySpan<TKey> keys, Span<int> lowest) where TKey : struct, IComparable<TKey>
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
        /// <remarks>CompareTo orders as &lt; and == do for every key but NaN, which eviction never scores.</remarks>
        static bool Before<TKey>(ReadOnlySpan<TKey> keys, int a, int b) where TKey : struct, IComparable<TKey>
        {
            int order = keys[a].CompareTo(keys[b]);
            return order < 0 || (order == 0 && a < b);
        }

        static void SiftUp<TKey>(ReadOnlySpan<TKey> keys, Span<int> heap, int at) where TKey : struct, IComparable<TKey>
        {
            while (at > 0)
            {
                int parent = (at - 1) / 2;
                if (!Before(keys, heap[parent], heap[at])) break;
                (heap[parent], heap[at]) = (heap[at], heap[parent]);
                at = parent;
            }
        }

        static void SiftDown<TKey>(ReadOnlySpan<TKey> keys, Span<int> heap, int at, int count) where TKey : struct, IComparable<TKey>
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
