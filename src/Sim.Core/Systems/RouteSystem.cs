using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Metrics;
using Sim.Core.Pipeline;
using Sim.Core.Policies;

namespace Sim.Core.Systems
{
    /// <summary>
    /// Sends each request that arrived this step to the waiting queue of the replica the router picks (of the prefill pool
    /// when disaggregated), in arrival order, writing the choice into the request's row (it stays where it was created).
    /// </summary>
    public sealed class RouteSystem : ISystem
    {
        readonly World _world;
        readonly Cluster _cluster;
        readonly IRouter _router;
        readonly RequestLog _log;

        public RouteSystem(World world)
        {
            _world = world;
            _cluster = world.GetResource<Cluster>();
            _router = world.GetResource<IRouter>();
            _log = world.GetResource<RequestLog>();
        }

        public Phase Phase => Phase.Route;

        public void Update()
        {
            // The step's arrivals are the request archetype's last rows, in arrival order: each was appended by its Create,
            // no row leaves the archetype between the arrive and route phases, and every earlier request was routed in the
            // step that made it. So they are the rows after the last one with a replica; a step with no arrival reads one row.
            Archetype requests = ArriveSystem.Requests(_world);
            int capacity = requests.ChunkCapacity;
            int end = requests.EntityCount, first = end;
            while (first > 0 && requests.GetChunk((first - 1) / capacity).GetSpan<RequestProgress>()[(first - 1) % capacity].Replica < 0) first--;
            while (first < end)
            {
                Chunk chunk = requests.GetChunk(first / capacity);
                ReadOnlySpan<Entity> entities = chunk.Entities;
                Span<RequestInfo> infos = chunk.GetSpan<RequestInfo>();
                Span<RequestProgress> progress = chunk.GetSpan<RequestProgress>();
                for (int row = first % capacity; row < entities.Length; row++, first++)
                {
                    Entity request = entities[row];
                    int replica = _router.Route(_world, _cluster.ArrivalPool, request);
                    progress[row].Replica = replica;
                    _log[infos[row].Id].Replica = replica;
                    RequestQueue.Waiting(_world, _cluster.Replicas[replica]).PushBack(request);
                }
            }
        }
    }
}
