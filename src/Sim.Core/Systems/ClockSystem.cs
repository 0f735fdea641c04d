using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;

namespace Sim.Core.Systems
{
    /// <summary>Moves the clock to the next event: the earliest of the next arrival and the ends of the batches in flight.</summary>
    public sealed class ClockSystem : ISystem
    {
        readonly World _world;
        readonly SimClock _clock;
        readonly Cluster _cluster;
        readonly ArrivalStream _arrivals;

        public ClockSystem(World world)
        {
            _world = world;
            _clock = world.GetResource<SimClock>();
            _cluster = world.GetResource<Cluster>();
            _arrivals = world.GetResource<ArrivalStream>();
        }

        public Phase Phase => Phase.Execute;

        public void Update()
        {
            double nextS = _arrivals.NextArrivalS;
            foreach (ReplicaRuntime replica in _cluster.Replicas)
            {
                ref ReplicaInfo info = ref _world.Get<ReplicaInfo>(replica.Entity);
                if (info.State == ReplicaState.Executing) nextS = Math.Min(nextS, info.BusyUntilS);
            }
            _clock.Steps++;
            if (double.IsPositiveInfinity(nextS))
            {
                _clock.Done = true;
                return;
            }
            _clock.NowS = Math.Max(_clock.NowS, nextS);
        }
    }
}
