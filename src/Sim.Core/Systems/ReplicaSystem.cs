using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;

namespace Sim.Core.Systems
{
    /// <summary>
    /// A system that visits the replicas: every entity with a <see cref="ReplicaInfo"/>, in replica order (replicas are
    /// made in order at start-up and never destroyed). It reads each replica's state from those columns and finds the
    /// replica's queues, pool and policies by <see cref="ReplicaInfo.Index"/> in the cluster resource.
    /// </summary>
    public abstract class ReplicaSystem : ISystem
    {
        internal static readonly QueryDescription Replicas = new QueryDescription().WithAll<ReplicaInfo>();

        // The query's chunks, resolved once: each step only walks them (no lookup of the query by its description).
        readonly ChunkEnumerable _replicaChunks;

        protected ReplicaSystem(World world)
        {
            _replicaChunks = world.GetChunks(in Replicas);
            World = world;
            Clock = world.GetResource<SimClock>();
            Cluster = world.GetResource<Cluster>();
        }

        protected World World { get; }

        protected SimClock Clock { get; }

        protected Cluster Cluster { get; }

        public abstract Phase Phase { get; }

        public virtual void Update()
        {
            foreach (Chunk chunk in _replicaChunks)
            {
                Span<ReplicaInfo> replicas = chunk.GetSpan<ReplicaInfo>();
                for (int i = 0; i < replicas.Length; i++) Visit(Cluster.Replicas[replicas[i].Index], ref replicas[i]);
            }
        }

        protected abstract void Visit(ReplicaRuntime replica, ref ReplicaInfo info);

        /// <summary>Visits one replica as <see cref="Update"/> does in its turn (the fast-forward runs a replica's schedule and execute phases this way).</summary>
        internal void VisitOne(ReplicaRuntime replica, ref ReplicaInfo info) => Visit(replica, ref info);

        /// <summary>Whether the replica's batch ends at this step's time: what the complete phase's systems act on.</summary>
        protected bool EndsNow(in ReplicaInfo info) => info.State == ReplicaState.Executing && info.BusyUntilS == Clock.NowS;
    }
}
