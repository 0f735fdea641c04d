using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Metrics;
using Sim.Core.Pipeline;
using Sim.Core.Policies;

namespace Sim.Core.Systems
{
    /// <summary>Hands each completed iteration to the metrics and the iteration sink, then checks invariants when asked.</summary>
    public sealed class RecordSystem : ISystem
    {
        readonly World _world;
        readonly Cluster _cluster;
        readonly KvUsage _kvUsage;
        readonly IIterationSink? _sink;
        readonly InvariantChecker? _invariants;

        public RecordSystem(World world, IIterationSink? sink, InvariantChecker? invariants)
        {
            _world = world;
            _cluster = world.GetResource<Cluster>();
            _kvUsage = world.GetResource<KvUsage>();
            _sink = sink;
            _invariants = invariants;
        }

        public Phase Phase => Phase.Record;

        public void Update()
        {
            foreach (ReplicaRuntime replica in _cluster.Replicas)
                if (_world.Get<ReplicaInfo>(replica.Entity).State == ReplicaState.Completed)
                    Record(replica);
        }

        /// <summary>Records <paramref name="replica"/>'s completed iteration and makes it idle (the fast-forward records its iterations here too).</summary>
        internal void Record(ReplicaRuntime replica)
        {
            _world.Get<ReplicaInfo>(replica.Entity).State = ReplicaState.Idle;
            SchedulerOutput output = replica.InFlight;
            _kvUsage.Add(output.KvUsedPages, replica.Kv.TotalPages, output.DurationS);
            _sink?.OnIteration(new IterationRecord
            {
                Replica = replica.Index,
                Iteration = output.Iteration,
                StartS = output.StartS,
                DurationS = output.DurationS,
                NumSeqs = output.Sequences.Count,
                PrefillTokens = output.PrefillTokens,
                DecodeTokens = output.DecodeTokens,
                Preempted = output.PreemptedRequestIds.Count,
                KvUsedPages = output.KvUsedPages,
                KvTotalPages = replica.Kv.TotalPages,
                Waiting = output.Waiting,
                Running = output.Running,
                TransferS = output.TransferS,
                ExpertLoadS = output.ExpertLoadS,
                HandOffs = output.HandOffs,
                HandOffS = output.HandOffS,
            });
            _invariants?.Check(replica);
        }
    }
}
