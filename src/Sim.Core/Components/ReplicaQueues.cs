using Sim.Core.Ecs;

namespace Sim.Core.Components
{
    /// <summary>The ends and lengths of a replica's two request queues, on the replica entity; the members link through their <see cref="QueueLink"/>.</summary>
    public struct ReplicaQueues
    {
        public QueueEnds Waiting;

        public QueueEnds Running;
    }

    /// <summary>One queue's front, back and length.</summary>
    public struct QueueEnds
    {
        public Entity First;

        public Entity Last;

        public int Count;
    }
}
