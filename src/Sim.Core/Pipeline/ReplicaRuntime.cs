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
    /// The mutable serving state of one replica besides its entity's components (which hold its state and its request
    /// queues, see <see cref="RequestQueue"/>): KV pool, and the iteration in flight. Held in the <see cref="Cluster"/> world resource.
    /// </summary>
    public sealed class ReplicaRuntime : ISnapshotState
    {
        void ISnapshotState.Save(SnapshotWriter writer)
        {
            ((ISnapshotState)InFlight).Save(writer);
            ((ISnapshotState)Outcome).Save(writer);
            ((ISnapshotState)Kv).Save(writer);
            if (Swap != null) ((ISnapshotState)Swap).Save(writer);
            if (Moe != null) ((ISnapshotState)Moe).Save(writer);
            if (Speculative != null) ((ISnapshotState)Speculative).Save(writer);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
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

        /// <summary>The scheduler's decision for the iteration in flight (or just completed).</summary>
        public SchedulerOutput InFlight { get; }

        /// <summary>What that iteration did: its times, the KV and queues as it started, its hand-offs.</summary>
        public IterationOutcome Outcome { get; } = new IterationOutcome();

        /// <summary>Scratch for the perf model's input; sized to max_num_seqs.</summary>
        internal SequenceWork[] BatchWork { get; }
    }
}
