using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Metrics;
using Sim.Core.Pipeline;
using Sim.Core.Policies;

namespace Sim.Core.Systems
{
    /// <summary>Sends each request that arrived this step to the waiting queue of the replica the router picks (of the prefill pool when disaggregated).</summary>
    public sealed class RouteSystem : ISystem
    {
        readonly World _world;
        readonly ArrivalStream _arrivals;
        readonly Cluster _cluster;
        readonly IRouter _router;
        readonly RequestLog _log;

        public RouteSystem(World world)
        {
            _world = world;
            _arrivals = world.GetResource<ArrivalStream>();
            _cluster = world.GetResource<Cluster>();
            _router = world.GetResource<IRouter>();
            _log = world.GetResource<RequestLog>();
        }

        public Phase Phase => Phase.Route;

        public void Update()
        {
            foreach (Entity request in _arrivals.Arrived)
            {
                int replica = _router.Route(_world, _cluster.ArrivalPool, request);
                _world.Get<RequestProgress>(request).Replica = replica;
                _log[_world.Get<RequestInfo>(request).Id].Replica = replica;
                RequestQueue.Waiting(_world, _cluster.Replicas[replica]).PushBack(request);
            }
            _arrivals.Arrived.Clear();
        }
    }
}
