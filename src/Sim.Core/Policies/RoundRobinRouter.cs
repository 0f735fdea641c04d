using Sim.Core.Ecs;
using Sim.Core.Pipeline;

namespace Sim.Core.Policies
{
    /// <summary>Sends the i-th routed request to replica i mod N. Its cursor is world state (it lives in this resource).</summary>
    public sealed class RoundRobinRouter : IRouter
    {
        public long RoutedRequests { get; private set; }

        public int Route(World world, ReplicaRuntime[] candidates, Entity request) => candidates[(int)(RoutedRequests++ % candidates.Length)].Index;
    }
}
