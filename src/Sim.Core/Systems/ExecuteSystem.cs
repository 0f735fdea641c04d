using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.PerfModel;
using Sim.Core.Pipeline;
using Sim.Core.Policies;

namespace Sim.Core.Systems
{
    /// <summary>
    /// Times each newly scheduled batch with the replica's perf model, plus the KV copies it waits for (copies are
    /// not overlapped with compute) and, with speculative decoding, the drafter's steps; the batch ends that long from now.
    /// </summary>
    public sealed class ExecuteSystem : ISystem
    {
        readonly World _world;
        readonly SimClock _clock;
        readonly Cluster _cluster;

        public ExecuteSystem(World world)
        {
            _world = world;
            _clock = world.GetResource<SimClock>();
            _cluster = world.GetResource<Cluster>();
        }

        public Phase Phase => Phase.Execute;

        public void Update()
        {
            foreach (ReplicaRuntime replica in _cluster.Replicas)
            {
                ref ReplicaInfo info = ref _world.Get<ReplicaInfo>(replica.Entity);
                if (info.State != ReplicaState.Scheduled) continue;
                SchedulerOutput output = replica.InFlight;
                SequenceWork[] work = replica.BatchWork;
                for (int i = 0; i < output.Sequences.Count; i++)
                {
                    ScheduledSequence sequence = output.Sequences[i];
                    work[i] = new SequenceWork(sequence.NewTokens, sequence.ContextTokens);
                }
                double draftS = replica.Speculative?.Draft(_world, replica.Kv, output, work) ?? 0;
                double durationS = replica.PerfModel.IterationTimeS(new ReadOnlySpan<SequenceWork>(work, 0, output.Sequences.Count));
                replica.Speculative?.Verified(output, durationS, draftS);
                if (replica.Moe != null) durationS += replica.Moe.IterationExtraS(output, durationS);
                if (!(durationS > 0) || double.IsInfinity(durationS))
                    throw new InvalidOperationException("the perf model returned " + durationS + " s for an iteration of replica " + replica.Index);
                // The drafter's steps run before the verifying pass, on the same GPUs.
                output.DurationS = durationS + draftS + output.TransferS;
                info.BusyUntilS = _clock.NowS + output.DurationS;
                info.State = ReplicaState.Executing;
            }
        }
    }
}
