using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;

namespace Sim.Core.Systems
{
    /// <summary>
    /// A system that visits the replicas in index order (replicas are made in order at start-up and never destroyed):
    /// each replica's state is its entity's <see cref="ReplicaInfo"/>, its queues, pool and policies are in the cluster
    /// resource.
    /// </summary>
    public abstract class ReplicaSystem : ISystem
    {
        protected ReplicaSystem(World world)
        {
            World = world;
            Clock = world.GetResource<SimClock>();
            Cluster = world.GetResource<Cluster>();
        }

        protected World World { get; }

        protected SimClock Clock { get; }

        protected Cluster Cluster { get; }

        public abstract Phase Phase { get; }

        // The cluster's array, walked directly: every step runs several of these systems, and most visits only read a
        // replica's state and return, so a query's chunk walk (begin and end of iteration) would cost more than they do.
        public virtual void Update()
        {
            ReplicaRuntime[] replicas = Cluster.Replicas;
            for (int r = 0; r < replicas.Length; r++)
            {
                ReplicaRuntime replica = replicas[r];
                Visit(replica, ref World.Get<ReplicaInfo>(replica.Entity));
            }
        }

        protected abstract void Visit(ReplicaRuntime replica, ref ReplicaInfo info);

        /// <summary>Whether the replica's batch ends at this step's time: what the complete phase's systems act on.</summary>
        protected bool EndsNow(in ReplicaInfo info) => info.State == ReplicaState.Executing && info.BusyUntilS == Clock.NowS;
    }
}
