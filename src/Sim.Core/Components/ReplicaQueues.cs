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

        /// <summary>Whether the members are in arrival order, as last found and kept since (see <c>RequestQueue.InArrivalOrder</c>).</summary>
        public ArrivalOrder Order;
    }

    /// <summary>What is known of a queue's arrival order without walking it.</summary>
    public enum ArrivalOrder : byte
    {
        Unknown,
        InOrder,
        OutOfOrder,
    }
}
