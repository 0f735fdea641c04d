using System.Collections.Generic;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Metrics;
using Sim.Core.Pipeline;

namespace Sim.Core.Systems
{
    /// <summary>
    /// Disaggregated clusters: the requests of the <see cref="KvTransfers.InFlight"/> query whose KV has landed join the
    /// waiting queue of the decode replica the router picks, in order of landing (ties in request order), and lose
    /// their <see cref="KvLanding"/>.
    /// </summary>
    public sealed class DecodeRouteSystem : ISystem
    {
        readonly World _world;
        readonly ChunkEnumerable _inFlightChunks;
        readonly SimClock _clock;
        readonly Cluster _cluster;
        readonly KvTransfers _transfers;
        readonly RequestLog _log;
        // This step's landed requests, kept sorted as collected (a handful a step); reused, so a step allocates nothing.
        readonly List<(double ReadyS, long RequestId, Entity Request)> _landed = new List<(double, long, Entity)>();

        public DecodeRouteSystem(World world)
        {
            _world = world;
            _inFlightChunks = world.GetChunks(in KvTransfers.InFlight);
            _clock = world.GetResource<SimClock>();
            _cluster = world.GetResource<Cluster>();
            _transfers = world.GetResource<KvTransfers>();
            _log = world.GetResource<RequestLog>();
        }

        public Phase Phase => Phase.Route;

        public void Update()
        {
            CollectLanded(_clock.NowS);
            // Routed after the query's walk, which locks its archetypes against removing the component.
            foreach ((double _, long requestId, Entity request) in _landed)
            {
                int replica = _transfers.DecodeRouter.Route(_world, _cluster.DecodePool, request);
                ref RequestProgress progress = ref _world.Get<RequestProgress>(request);
                progress.Replica = replica;
                progress.Phase = RequestPhase.Queued;
                _log[requestId].DecodeReplica = replica;
                RequestQueue.Waiting(_world, _cluster.Replicas[replica]).PushBack(request);
                _world.Remove<KvLanding>(request);
            }
        }

        void CollectLanded(double nowS)
        {
            _landed.Clear();
            foreach (Chunk chunk in _inFlightChunks)
            {
                System.ReadOnlySpan<Entity> requests = chunk.Entities;
                System.Span<KvLanding> landings = chunk.GetSpan<KvLanding>();
                System.Span<RequestInfo> infos = chunk.GetSpan<RequestInfo>();
                for (int i = 0; i < requests.Length; i++)
                {
                    double readyS = landings[i].ReadyS;
                    if (readyS > nowS) continue;
                    long id = infos[i].Id;
                    int at = _landed.Count;
                    while (at > 0 && (_landed[at - 1].ReadyS > readyS || (_landed[at - 1].ReadyS == readyS && _landed[at - 1].RequestId > id))) at--;
                    _landed.Insert(at, (readyS, id, requests[i]));
                }
            }
        }
    }
}
