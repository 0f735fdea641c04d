using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Metrics;
using Sim.Core.Pipeline;
using Sim.Core.Policies;

namespace Sim.Core.Systems
{
    /// <summary>
    /// Sends each request that arrived this step (tagged <see cref="Arrived"/>) to the waiting queue of the replica the
    /// router picks (of the prefill pool when disaggregated), in arrival order, and removes the tag from all of them at once.
    /// </summary>
    public sealed class RouteSystem : ISystem
    {
        /// <summary>
        /// Requests awaiting routing. They are created this step in arrival order into the tagged archetype, which the
        /// last step's routing left empty, so its rows hold them in arrival order.
        /// </summary>
        internal static readonly QueryDescription Unrouted = new QueryDescription().WithAll<Arrived>();

        readonly World _world;
        // The query's chunks, resolved once: each step only walks them (no lookup of the query by its description).
        readonly ChunkEnumerable _unroutedChunks;
        readonly Cluster _cluster;
        readonly IRouter _router;
        readonly RequestLog _log;

        public RouteSystem(World world)
        {
            _world = world;
            _unroutedChunks = world.GetChunks(in Unrouted);
            _cluster = world.GetResource<Cluster>();
            _router = world.GetResource<IRouter>();
            _log = world.GetResource<RequestLog>();
        }

        public Phase Phase => Phase.Route;

        public void Update()
        {
            // Most steps bring no arrival: then nothing is walked or locked.
            if (_unroutedChunks.EntityCount == 0) return;
            bool routed = false;
            foreach (Chunk chunk in _unroutedChunks)
            {
                ReadOnlySpan<Entity> requests = chunk.Entities;
                Span<RequestInfo> infos = chunk.GetSpan<RequestInfo>();
                Span<RequestProgress> progress = chunk.GetSpan<RequestProgress>();
                for (int i = 0; i < requests.Length; i++)
                {
                    Entity request = requests[i];
                    int replica = _router.Route(_world, _cluster.ArrivalPool, request);
                    progress[i].Replica = replica;
                    _log[infos[i].Id].Replica = replica;
                    RequestQueue.Waiting(_world, _cluster.Replicas[replica]).PushBack(request);
                    routed = true;
                }
            }
            // Row order is arrival order, so the requests join their untagged archetype's rows in that order, as if created there.
            if (routed) _world.RemoveFromAll<Arrived>(_unroutedChunks);
        }
    }
}
