using System.Threading;

namespace Sim.Core.PerfModel
{
    /// <summary>
    /// Values worked out once per batch size and kept, safe to read and add to from several threads at once (the groups of a
    /// partitioned run share a perf model): a size's value is added by publishing a grown copy of the table, so a reader
    /// sees a whole table, and two threads working out the same size keep one value (equal ones: they are pure).
    /// </summary>
    internal sealed class SizeMemo<T> where T : class
    {
        T?[] _bySize = new T?[0];

        /// <summary>The value kept for <paramref name="size"/>; null when none is.</summary>
        public T? Find(int size)
        {
            T?[] bySize = _bySize;
            return (uint)size < (uint)bySize.Length ? bySize[size] : null;
        }

        /// <summary>Keeps <paramref name="value"/> for <paramref name="size"/>, unless a value is kept already: returns the one kept.</summary>
        public T Keep(int size, T value)
        {
            while (true)
            {
                T?[] kept = Volatile.Read(ref _bySize);
                if (size < kept.Length && kept[size] is T other) return other;
                // A copy even when the size fits: the table a reader holds never changes.
                var grown = new T?[size < kept.Length ? kept.Length : System.Math.Max(size + 1, 2 * kept.Length)];
                kept.CopyTo(grown, 0);
                grown[size] = value;
                if (Interlocked.CompareExchange(ref _bySize, grown, kept) == kept) return value;
            }
        }
    }
}
