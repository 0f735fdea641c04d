using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;

namespace Sim.Core.Systems
{
    /// <summary>
    /// Prefix caching: before the complete phase's systems let go of requests' pages, every replica's prefix cache starts
    /// collecting the blocks they release, so that <see cref="ReleaseScoringSystem"/> scores all of them in one call.
    /// Releases elsewhere (a preemption while scheduling) have their usage written at once and wait for the same call,
    /// or for the first eviction, which scores them before it picks its victim.
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
