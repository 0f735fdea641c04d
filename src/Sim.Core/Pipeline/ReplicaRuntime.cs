using System.Collections.Generic;
using Sim.Core.Ecs;
using Sim.Core.Experts;
using Sim.Core.Kv;
using Sim.Core.PerfModel;
using Sim.Core.Policies;
using Sim.Core.Scenes;
using Sim.Core.Snapshots;
using Sim.Core.Speculative;

namespace Sim.Core.Pipeline
{
    /// <summary>
    /// The mutable serving state of one replica besides its entity's components: request queues,
    /// KV pool, and the iteration in flight. Held in the <see cref="Cluster"/> world resource.
    /// </summary>
    public sealed class ReplicaRuntime : ISnapshotState
    {
        void ISnapshotState.Save(SnapshotWriter writer)
        {
            writer.Write(Running);
            ((ISnapshotState)Waiting).Save(writer);
            ((ISnapshotState)InFlight).Save(writer);
            ((ISnapshotState)Outcome).Save(writer);
            ((ISnapshotState)Kv).Save(writer);
            if (Swap != null) ((ISnapshotState)Swap).Save(writer);
            if (Moe != null) ((ISnapshotState)Moe).Save(writer);
            if (Speculative != null) ((ISnapshotState)Speculative).Save(writer);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            reader.ReadInto(Running);
            ((ISnapshotState)Waiting).Load(reader);
            ((ISnapshotState)InFlight).Load(reader);
            ((ISnapshotState)Outcome).Load(reader);
            ((ISnapshotState)Kv).Load(reader);
            if (Swap != null) ((ISnapshotState)Swap).Load(reader);
            if (Moe != null) ((ISnapshotState)Moe).Load(reader);
            if (Speculative != null) ((ISnapshotState)Speculative).Load(reader);
        }

        public ReplicaRuntime(int index, Entity entity, KvBlockPool kv, IScheduler scheduler, IPerfModel perfModel, int maxNumSeqs, SwapSpace? swap = null, ReplicaRole role = ReplicaRole.Mixed)
        {
            Swap = swap;
            Role = role;
            Index = index;
            Entity = entity;
            Kv = kv;
            Scheduler = scheduler;
            PerfModel = perfModel;
            Running = new List<Entity>(maxNumSeqs);
            InFlight = new SchedulerOutput(maxNumSeqs);
            BatchWork = new SequenceWork[maxNumSeqs];
        }

        public int Index { get; }

        public ReplicaRole Role { get; }

        public Entity Entity { get; }

        public KvBlockPool Kv { get; }

        /// <summary>MoE mode's gate, expert caches and costs; null for dense models and scenes without <c>moe:</c>.</summary>
        public MoeReplica? Moe { get; set; }

        /// <summary>Speculative decoding's drafts and acceptance; null for scenes without <c>speculative:</c>.</summary>
        public SpeculativeReplica? Speculative { get; set; }

        /// <summary>Where preempted requests' KV goes with <c>scheduler.preemption: swap</c>; null when preemption recomputes.</summary>
        public SwapSpace? Swap { get; }

        public IScheduler Scheduler { get; }

        public IPerfModel PerfModel { get; }

        /// <summary>Routed requests not admitted yet (including preempted ones, at the front).</summary>
        public EntityDeque Waiting { get; } = new EntityDeque(256);

        /// <summary>Admitted requests in admission order; the last is the newest (first to preempt).</summary>
        public List<Entity> Running { get; }

        /// <summary>The scheduler's decision for the iteration in flight (or just completed).</summary>
        public SchedulerOutput InFlight { get; }

        /// <summary>What that iteration did: its times, the KV and queues as it started, its hand-offs.</summary>
        public IterationOutcome Outcome { get; } = new IterationOutcome();

        /// <summary>Scratch for the perf model's input; sized to max_num_seqs.</summary>
        internal SequenceWork[] BatchWork { get; }

        public bool HasWork => Waiting.Count > 0 || Running.Count > 0;
    }
}
