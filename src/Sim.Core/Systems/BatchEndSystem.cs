using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;

namespace Sim.Core.Systems
{
    /// <summary>
    /// Sets each new batch's length and end: the priced forward pass, after the drafter's steps (same GPUs) and the KV
    /// copies the scheduler started (not overlapped with compute).
    /// </summary>
    public sealed class BatchEndSystem : ISystem
    {
        readonly World _world;
        readonly SimClock _clock;
        readonly Cluster _cluster;

        public BatchEndSystem(World world)
        {
            _world = world;
            _clock = world.GetResource<SimClock>();
            _cluster = world.GetResource<Cluster>();
        }

        public Phase Phase => Phase.Execute;

        public void Update()
        {
            foreach (Chunk chunk in _world.GetChunks(in ReplicaQuery.All))
            {
                Span<ReplicaInfo> replicas = chunk.GetSpan<ReplicaInfo>();
                for (int i = 0; i < replicas.Length; i++)
                {
                    ref ReplicaInfo info = ref replicas[i];
                    if (info.State != ReplicaState.Scheduled) continue;
                    ReplicaRuntime replica = _cluster.Replicas[info.Index];
                    IterationOutcome outcome = replica.Outcome;
                    double computeS = outcome.ComputeS;
                    if (!(computeS > 0) || double.IsInfinity(computeS))
                        throw new InvalidOperationException("the perf model returned " + computeS + " s for an iteration of replica " + replica.Index);
                    outcome.DurationS = computeS + outcome.DraftS + replica.InFlight.TransferS;
                    info.BusyUntilS = _clock.NowS + outcome.DurationS;
                    info.State = ReplicaState.Executing;
                }
            }
        }
    }
}
