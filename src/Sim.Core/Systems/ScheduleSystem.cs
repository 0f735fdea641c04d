using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;
using Sim.Core.Policies;

namespace Sim.Core.Systems
{
    /// <summary>Lets every idle replica that has requests choose its next batch.</summary>
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
            foreach (ReplicaRuntime replica in _cluster.Replicas)
            {
                ref ReplicaInfo info = ref _world.Get<ReplicaInfo>(replica.Entity);
                if (info.State != ReplicaState.Idle || !replica.HasWork) continue;
                SchedulerOutput output = replica.InFlight;
                output.Clear(replica.Index, info.Iterations, _clock.NowS);
                replica.Scheduler.Schedule(_world, replica, _clock.NowS, output);
                if (output.Sequences.Count == 0)
                    throw new InvalidOperationException("replica " + replica.Index + " has work but its scheduler chose an empty batch at t=" + _clock.NowS + " s");
                output.KvUsedPages = replica.Kv.UsedPages;
                output.Waiting = replica.Waiting.Count;
                output.Running = replica.Running.Count;
                info.State = ReplicaState.Scheduled;
            }
        }
    }
}
