using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Metrics;
using Sim.Core.Pipeline;
using Sim.Core.Policies;

namespace Sim.Core.Systems
{
    /// <summary>Hands each completed iteration to the metrics and the iteration sink, then checks invariants when asked.</summary>
    public sealed class RecordSystem : ReplicaSystem
    {
        readonly KvUsage _kvUsage;
        readonly IIterationSink? _sink;
        readonly InvariantChecker? _invariants;

        public RecordSystem(World world) : base(world)
        {
            _kvUsage = world.GetResource<KvUsage>();
            world.TryGetResource(out _sink);
            world.TryGetResource(out _invariants);
        }

        public override Phase Phase => Phase.Record;

        protected override void Visit(ReplicaRuntime replica, ref ReplicaInfo info)
        {
            if (info.State == ReplicaState.Completed) Record(replica, ref info);
        }

        /// <summary>Whether an iteration's record is only its KV usage: no iteration sink, no invariant checks.</summary>
        internal bool RecordsUsageOnly => _sink == null && _invariants == null;

        /// <summary>The KV usage of <paramref name="replica"/>'s completed iteration: all that <see cref="Record"/> does besides making it idle when <see cref="RecordsUsageOnly"/>.</summary>
        internal void RecordUsage(ReplicaRuntime replica)
        {
            IterationOutcome outcome = replica.Outcome;
            _kvUsage.Add(replica.Index, outcome.KvUsedPages, replica.Kv.TotalPages, outcome.DurationS);
        }

        /// <summary>Records <paramref name="replica"/>'s completed iteration and makes it idle (the fast-forward records its iterations here too).</summary>
        internal void Record(ReplicaRuntime replica, ref ReplicaInfo info)
        {
            info.State = ReplicaState.Idle;
            SchedulerOutput decision = replica.InFlight;
            IterationOutcome outcome = replica.Outcome;
            RecordUsage(replica);
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
