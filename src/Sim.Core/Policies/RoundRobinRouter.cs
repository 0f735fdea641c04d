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

        public int Route(World world, ReplicaRuntime[] candidates, Entity request) => candidates[TurnOf(RoutedRequests++, candidates.Length)].Index;

        /// <summary>Which of <paramref name="candidates"/> candidates takes the request routed after <paramref name="routed"/> others.</summary>
        public static int TurnOf(long routed, int candidates) => (int)(routed % candidates);
    }
}
