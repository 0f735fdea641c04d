using System.Collections.Generic;

namespace Sim.Core.Kv
{
    /// <summary>
    /// Recycles page-table arrays in power-of-two sizes, so requests growing and ending in steady state
    /// allocate nothing.
    /// </summary>
    internal sealed class PageListPool
    {
        readonly Stack<int[]>[] _bySizeClass = new Stack<int[]>[31];

        /// <summary>
        /// An array of at least <paramref name="minLength"/> pages: a free one of the smallest size that fits, or of a larger
        /// size when none of that size is free (a table may be larger than it needs), or a new one.
        /// </summary>
        public int[] Rent(int minLength)
        {
            int sizeClass = SizeClass(minLength);
            for (int c = sizeClass; c < _bySizeClass.Length; c++)
            {
                Stack<int[]>? stack = _bySizeClass[c];
                if (stack != null && stack.Count > 0) return stack.Pop();
            }
            return new int[1 << sizeClass];
        }

        public void Return(int[] pages)
        {
            if (pages.Length == 0) return;
            int sizeClass = SizeClass(pages.Length);
            (_bySizeClass[sizeClass] ??= new Stack<int[]>()).Push(pages);
        }

        static int SizeClass(int length)
        {
            int sizeClass = 2; // at least 4 pages
            while ((1 << sizeClass) < length) sizeClass++;
            return sizeClass;
        }
    }
}
