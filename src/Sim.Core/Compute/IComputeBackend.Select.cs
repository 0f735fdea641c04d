using System;

namespace Sim.Core.Compute
{
    public partial interface IComputeBackend
    {
        /// <summary>
        /// Eviction's selection: the indices of the <paramref name="lowest"/>.Length smallest of <paramref name="keys"/>, ties
        /// to the lower index, in ascending order of (key, index), into <paramref name="lowest"/>.
        /// </summary>
        void SelectLowest(ReadOnlySpan<float> keys, Span<int> lowest);
    }
}
