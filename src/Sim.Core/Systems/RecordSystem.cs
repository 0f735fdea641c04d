using System;
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

        public RecordSystem(World world)
        {
            _world = world;
            _cluster = world.GetResource<Cluster>();
            _kvUsage = world.GetResource<KvUsage>();
            world.TryGetResource(out _sink);
            world.TryGetResource(out _invariants);
        }

        public Phase Phase => Phase.Record;

        public void Update()
        {
            foreach (Chunk chunk in _world.GetChunks(in ReplicaQuery.All))
            {
                Span<ReplicaInfo> replicas = chunk.GetSpan<ReplicaInfo>();
                for (int i = 0; i < replicas.Length; i++)
                    if (replicas[i].State == ReplicaState.Completed) Record(_cluster.Replicas[replicas[i].Index], ref replicas[i]);
            }
        }

        /// <summary>Records <paramref name="replica"/>'s completed iteration and makes it idle (the fast-forward records its iterations here too).</summary>
        internal void Record(ReplicaRuntime replica, ref ReplicaInfo info)
        {
            info.State = ReplicaState.Idle;
            SchedulerOutput decision = replica.InFlight;
            IterationOutcome outcome = replica.Outcome;
            _kvUsage.Add(outcome.KvUsedPages, replica.Kv.TotalPages, outcome.DurationS);
            _sink?.OnIteration(new IterationRecord
            {
                Replica = replica.Index,
                Iteration = decision.Iteration,
                StartS = decision.StartS,
                DurationS = outcome.DurationS,
                NumSeqs = decision.Count,
                PrefillTokens = decision.PrefillTokens,
                DecodeTokens = decision.DecodeTokens,
                Preempted = decision.PreemptedRequestIds.Count,
                KvUsedPages = outcome.KvUsedPages,
                KvTotalPages = replica.Kv.TotalPages,
                Waiting = outcome.Waiting,
                Running = outcome.Running,
                TransferS = decision.TransferS,
                ExpertLoadS = outcome.ExpertLoadS,
                HandOffs = outcome.HandOffs,
                HandOffS = outcome.HandOffS,
            });
            _invariants?.Check(replica);
        }
    }
}
