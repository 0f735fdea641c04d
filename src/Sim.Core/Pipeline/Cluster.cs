using System;

namespace Sim.Core.Pipeline
{
    /// <summary>World resource: every replica's runtime state, in index order, and the pools requests are routed among.</summary>
    public sealed class Cluster
    {
        public Cluster(ReplicaRuntime[] replicas)
        {
            Replicas = replicas;
            ArrivalPool = Array.FindAll(replicas, replica => replica.Role != Scenes.ReplicaRole.Decode);
            DecodePool = Array.FindAll(replicas, replica => replica.Role == Scenes.ReplicaRole.Decode);
        }

        public ReplicaRuntime[] Replicas { get; }

        /// <summary>Where arriving requests go: the prefill pool when disaggregated, else every replica.</summary>
        public ReplicaRuntime[] ArrivalPool { get; }

        /// <summary>Where prefilled requests go when disaggregated; empty otherwise.</summary>
        public ReplicaRuntime[] DecodePool { get; }
    }
}
