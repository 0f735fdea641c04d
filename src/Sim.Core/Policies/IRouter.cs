using Sim.Core.Ecs;
using Sim.Core.Pipeline;

namespace Sim.Core.Policies
{
    /// <summary>Picks the replica a request is sent to.</summary>
    public interface IRouter
    {
        /// <summary>Returns the <see cref="ReplicaRuntime.Index"/> of one of <paramref name="candidates"/> (a pool, or every replica).</summary>
        int Route(World world, ReplicaRuntime[] candidates, Entity request);
    }
}
