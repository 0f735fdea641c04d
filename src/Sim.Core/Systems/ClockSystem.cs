using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;

namespace Sim.Core.Systems
{
    /// <summary>Moves the clock to the next event: the earliest of the next arrival, the next KV handoff landing and the ends of the batches in flight.</summary>
    public sealed class ClockSystem : ISystem
    {
        readonly ChunkEnumerable _replicaChunks;
        readonly SimClock _clock;
        readonly ArrivalStream _arrivals;
        readonly KvTransfers? _transfers;

        public ClockSystem(World world)
        {
            _replicaChunks = world.GetChunks(in ReplicaSystem.Replicas);
            _clock = world.GetResource<SimClock>();
            _arrivals = world.GetResource<ArrivalStream>();
            world.TryGetResource(out _transfers);
        }

        public Phase Phase => Phase.Execute;

        public void Update()
        {
            double nextS = Math.Min(_arrivals.NextArrivalS, _transfers?.NextReadyS ?? double.PositiveInfinity);
            foreach (Chunk chunk in _replicaChunks)
            {
                Span<ReplicaInfo> replicas = chunk.GetSpan<ReplicaInfo>();
                for (int i = 0; i < replicas.Length; i++)
                    if (replicas[i].State == ReplicaState.Executing) nextS = Math.Min(nextS, replicas[i].BusyUntilS);
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
