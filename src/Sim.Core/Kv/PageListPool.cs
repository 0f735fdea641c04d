using System;
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

        public int[] Rent(int minLength)
        {
            int sizeClass = SizeClass(minLength);
            Stack<int[]>? stack = _bySizeClass[sizeClass];
            return stack != null && stack.Count > 0 ? stack.Pop() : new int[1 << sizeClass];
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
