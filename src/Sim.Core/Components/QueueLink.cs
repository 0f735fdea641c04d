using Sim.Core.Ecs;

namespace Sim.Core.Components
{
    /// <summary>
    /// A request's place in its replica's waiting or running queue: the queues are doubly linked lists through the
    /// request entities themselves (their ends and counts are the replica's <see cref="ReplicaQueues"/>), so queue
    /// membership and order are component data that snapshots save with the world. Links are entity handles, which
    /// stay valid when a request moves to another chunk.
    /// </summary>
    public struct QueueLink
    {
        /// <summary>The request ahead of this one; <see cref="Entity.Null"/> at the front.</summary>
        public Entity Previous;

        /// <summary>The request behind this one; <see cref="Entity.Null"/> at the back.</summary>
        public Entity Next;

        public QueueKind Queue;
    }

    /// <summary>Which of its replica's queues a request is in.</summary>
    public enum QueueKind : byte
    {
        /// <summary>Neither: not routed yet, or crossing to a decode replica.</summary>
        None,

        /// <summary>Routed, not admitted (preempted requests rejoin at the front).</summary>
        Waiting,

        /// <summary>Admitted, in admission order: the back is the newest, the first to preempt.</summary>
        Running,
    }
}
