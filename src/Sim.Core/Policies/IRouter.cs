using Sim.Core.Ecs;
using Sim.Core.Pipeline;

namespace Sim.Core.Policies
{
    /// <summary>Picks the replica an arriving request is sent to.</summary>
    public interface IRouter
    {
        int Route(World world, Cluster cluster, Entity request);
    }
}
