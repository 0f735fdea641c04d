using Sim.Core.Ecs;

namespace Sim.Core.Components
{
    /// <summary>The ends and lengths of a replica's two request queues, on the replica entity; the members link through their <see cref="QueueLink"/>.</summary>
    public struct ReplicaQueues
    {
        public QueueEnds Waiting;

        public QueueEnds Running;
    }

    /// <summary>One queue's front, back and length, and whether it was last found in arrival order.</summary>
    public struct QueueEnds
    {
        public Entity First;

        public Entity Last;

        public int Count;

        /// <summary>Insertions so far: a queue found in arrival order stays so until the next one (a removal keeps the order).</summary>
        public int Insertions;

        /// <summary>One more than <see cref="Insertions"/> when the queue was last walked for its order (0: never), so that an unchanged queue is not walked again.</summary>
        public int OrderSeenAtInsertions;

        /// <summary>Whether that walk found the members in arrival order (ties by id).</summary>
        public bool InArrivalOrder;
    }
}
