namespace Sim.Core.Pipeline
{
    /// <summary>World resource: every replica's runtime state, in index order.</summary>
    public sealed class Cluster
    {
        public Cluster(ReplicaRuntime[] replicas)
        {
            Replicas = replicas;
        }

        public ReplicaRuntime[] Replicas { get; }
    }
}
