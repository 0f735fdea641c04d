using Sim.Core.Components;
using Sim.Core.Ecs;

namespace Sim.Core.Systems
{
    /// <summary>
    /// The replicas as the systems visit them: every entity with a <see cref="ReplicaInfo"/>, in replica order (replicas
    /// are made in order at start-up and never destroyed). A system reads each replica's state from these columns and
    /// finds the replica's queues, pool and policies by <see cref="ReplicaInfo.Index"/> in the cluster resource.
    /// </summary>
    internal static class ReplicaQuery
    {
        public static readonly QueryDescription All = new QueryDescription().WithAll<ReplicaInfo>();
    }
}
