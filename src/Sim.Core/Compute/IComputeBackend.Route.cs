using System;

namespace Sim.Core.Compute
{
    public partial interface IComputeBackend
    {
        /// <summary>
        /// Routing: the position in <paramref name="replicas"/> of the best candidate, the one with the most prefix blocks,
        /// then the fewest uncomputed tokens, then the lowest position (a total order, so any reduction order agrees).
        /// </summary>
        int BestReplica(ReadOnlySpan<ReplicaScore> replicas);
    }
}
