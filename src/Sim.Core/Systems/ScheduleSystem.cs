using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;
using Sim.Core.Policies;

namespace Sim.Core.Systems
{
    /// <summary>Lets every idle replica that has requests choose its next batch; the decision is final once made.</summary>
    public sealed class ScheduleSystem : ISystem
    {
        readonly World _world;
        readonly SimClock _clock;
        readonly Cluster _cluster;

        public ScheduleSystem(World world)
        {
            _world = world;
            _clock = world.GetResource<SimClock>();
            _cluster = world.GetResource<Cluster>();
        }

        public Phase Phase => Phase.Schedule;

        public void Update()
        {
            foreach (Chunk chunk in _world.GetChunks(in ReplicaQuery.All))
            {
                Span<ReplicaInfo> replicas = chunk.GetSpan<ReplicaInfo>();
                for (int i = 0; i < replicas.Length; i++)
                {
                    ref ReplicaInfo info = ref replicas[i];
                    ReplicaRuntime replica = _cluster.Replicas[info.Index];
                    if (info.State == ReplicaState.Idle && replica.HasWork) Schedule(replica, ref info);
                }
            }
        }

        void Schedule(ReplicaRuntime replica, ref ReplicaInfo info)
        {
            SchedulerOutput decision = replica.InFlight;
            decision.Clear(replica.Index, info.Iterations, _clock.NowS);
            replica.Scheduler.Schedule(_world, replica, _clock.NowS, decision);
            if (decision.Count == 0)
                throw new InvalidOperationException("replica " + replica.Index + " has work but its scheduler chose an empty batch at t=" + _clock.NowS + " s");
            decision.Seal();
            IterationOutcome outcome = replica.Outcome;
            outcome.Clear();
            outcome.KvUsedPages = replica.Kv.UsedPages;
            outcome.Waiting = replica.Waiting.Count;
            outcome.Running = replica.Running.Count;
            info.State = ReplicaState.Scheduled;
        }
    }
}
