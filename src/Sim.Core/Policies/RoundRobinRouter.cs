using Sim.Core.Ecs;
using Sim.Core.Pipeline;
using Sim.Core.Snapshots;

namespace Sim.Core.Policies
{
    /// <summary>Sends the i-th routed request to replica i mod N. Its cursor is world state (it lives in this resource).</summary>
    public sealed class RoundRobinRouter : IRouter, ISnapshotState
    {
        public long RoutedRequests { get; private set; }

        void ISnapshotState.Save(SnapshotWriter writer) => writer.Write(RoutedRequests);

        void ISnapshotState.Load(SnapshotReader reader) => RoutedRequests = reader.Read<long>();

        public int Route(World world, ReplicaRuntime[] candidates, Entity request) => candidates[(int)(RoutedRequests++ % candidates.Length)].Index;
    }
}
