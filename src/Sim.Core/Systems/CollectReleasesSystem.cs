using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;

namespace Sim.Core.Systems
{
    /// <summary>
    /// Prefix caching: before the complete phase's systems let go of requests' pages, every replica's prefix cache starts
    /// collecting the blocks they release, so that <see cref="ReleaseScoringSystem"/> scores all of them in one call.
    /// Releases elsewhere (a preemption while scheduling) are scored at once, as the schedule goes on to reserve pages.
    /// </summary>
    public sealed class CollectReleasesSystem : ReplicaSystem
    {
        public CollectReleasesSystem(World world) : base(world)
        {
        }

        public override Phase Phase => Phase.Complete;

        protected override void Visit(ReplicaRuntime replica, ref ReplicaInfo info) => replica.Kv.Prefix?.CollectReleased();
    }
}
