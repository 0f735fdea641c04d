using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Metrics;
using Sim.Core.Pipeline;

namespace Sim.Core.Systems
{
    /// <summary>Disaggregated clusters: each request whose KV has landed joins the waiting queue of the decode replica its router picks.</summary>
    public sealed class DecodeRouteSystem : ISystem
    {
        readonly World _world;
        readonly SimClock _clock;
        readonly Cluster _cluster;
        readonly KvTransfers _transfers;
        readonly RequestLog _log;

        public DecodeRouteSystem(World world)
        {
            _world = world;
            _clock = world.GetResource<SimClock>();
            _cluster = world.GetResource<Cluster>();
            _transfers = world.GetResource<KvTransfers>();
            _log = world.GetResource<RequestLog>();
        }

        public Phase Phase => Phase.Route;

        public void Update()
        {
            while (_transfers.TryLand(_clock.NowS, out Entity request, out long requestId))
            {
                int replica = _transfers.DecodeRouter.Route(_world, _cluster.DecodePool, request);
                ref RequestProgress progress = ref _world.Get<RequestProgress>(request);
                progress.Replica = replica;
                progress.Phase = RequestPhase.Queued;
                _log[requestId].DecodeReplica = replica;
                RequestQueue.Waiting(_world, _cluster.Replicas[replica]).PushBack(request);
            }
        }
    }
}
