using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;

namespace Sim.Core.Systems
{
    /// <summary>Moves the clock to the next event: the earliest of the next arrival, the next KV handoff landing and the ends of the batches in flight.</summary>
    public sealed class ClockSystem : ISystem
    {
        readonly World _world;
        readonly ReplicaRuntime[] _replicas;
        readonly SimClock _clock;
        readonly ArrivalStream _arrivals;
        readonly KvTransfers? _transfers;

        public ClockSystem(World world)
        {
            _world = world;
            _replicas = world.GetResource<Cluster>().Replicas;
            _clock = world.GetResource<SimClock>();
            _arrivals = world.GetResource<ArrivalStream>();
            world.TryGetResource(out _transfers);
        }

        public Phase Phase => Phase.Execute;

        public void Update()
        {
            double nextS = Math.Min(_arrivals.NextArrivalS, _transfers?.NextReadyS ?? double.PositiveInfinity);
            foreach (ReplicaRuntime replica in _replicas)
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
