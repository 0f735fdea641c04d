using System;
using Sim.Core.Components;
using Sim.Core.Ecs;

namespace Sim.Core.Pipeline
{
    /// <summary>
    /// One of a replica's request queues, read and changed in the component data that holds it: the replica entity's
    /// <see cref="ReplicaQueues"/> (front, back, length) and each member's <see cref="QueueLink"/>. A view found per
    /// use (one entity lookup) and never kept: the state is in the world, the view only knows where.
    /// </summary>
    public readonly struct RequestQueue
    {
        readonly World _world;
        readonly ReplicaQueues[] _ends;
        readonly int _row;
        readonly QueueKind _kind;

        RequestQueue(World world, Entity replica, QueueKind kind)
        {
            _world = world;
            _ends = world.Locate(replica, out _row).Column<ReplicaQueues>();
            _kind = kind;
        }

        RequestQueue(World world, ReplicaQueues[] ends, int row, QueueKind kind)
        {
            _world = world;
            _ends = ends;
            _row = row;
            _kind = kind;
        }

        /// <summary>Routed requests not admitted yet, preempted ones at the front.</summary>
        public static RequestQueue Waiting(World world, ReplicaRuntime replica) => new RequestQueue(world, replica.Entity, QueueKind.Waiting);

        /// <summary>Admitted requests in admission order; the last is the newest (first to preempt).</summary>
        public static RequestQueue Running(World world, ReplicaRuntime replica) => new RequestQueue(world, replica.Entity, QueueKind.Running);

        /// <summary>Both queues of <paramref name="replica"/> with one lookup (schedulers read both every step).</summary>
        public static void Both(World world, ReplicaRuntime replica, out RequestQueue waiting, out RequestQueue running)
        {
            waiting = new RequestQueue(world, replica.Entity, QueueKind.Waiting);
            running = new RequestQueue(world, waiting._ends, waiting._row, QueueKind.Running);
        }

        /// <summary>The <paramref name="kind"/> queue of the entity holding <see cref="ReplicaQueues"/>, whose members hold <see cref="QueueLink"/>.</summary>
        public static RequestQueue Of(World world, Entity replica, QueueKind kind) =>
            kind == QueueKind.None ? throw new ArgumentException("a queue is waiting or running", nameof(kind)) : new RequestQueue(world, replica, kind);

        /// <summary>Whether the replica has a request waiting or running.</summary>
        public static bool HasWork(World world, ReplicaRuntime replica)
        {
            ref ReplicaQueues queues = ref world.Locate(replica.Entity, out int row).Column<ReplicaQueues>()[row];
            return queues.Waiting.Count > 0 || queues.Running.Count > 0;
        }

        ref QueueEnds Ends => ref _kind == QueueKind.Waiting ? ref _ends[_row].Waiting : ref _ends[_row].Running;

        public int Count => Ends.Count;

        /// <summary>The front request; <see cref="Entity.Null"/> when the queue is empty.</summary>
        public Entity First => Ends.First;

        /// <summary>The back request; <see cref="Entity.Null"/> when the queue is empty.</summary>
        public Entity Last => Ends.Last;

        /// <summary>The request behind <paramref name="request"/>; <see cref="Entity.Null"/> at the back.</summary>
        public Entity After(Entity request) => LinkOf(request).Next;

        /// <summary>The request ahead of <paramref name="request"/>; <see cref="Entity.Null"/> at the front.</summary>
        public Entity Before(Entity request) => LinkOf(request).Previous;

        public void PushBack(Entity request) => InsertAfter(Ends.Last, request);

        public void PushFront(Entity request) => InsertAfter(Entity.Null, request);

        /// <summary>Puts <paramref name="request"/>, in no queue, right behind <paramref name="anchor"/> (a member), or at the front for <see cref="Entity.Null"/>.</summary>
        public void InsertAfter(Entity anchor, Entity request)
        {
            ref QueueLink link = ref LinkOf(request);
            if (link.Queue != QueueKind.None) throw new InvalidOperationException(request + " is already in the " + link.Queue + " queue");
            ref QueueEnds ends = ref Ends;
            Entity next = anchor.IsNull ? ends.First : LinkOf(anchor).Next;
            link.Previous = anchor;
            link.Next = next;
            link.Queue = _kind;
            if (anchor.IsNull) ends.First = request;
            else LinkOf(anchor).Next = request;
            if (next.IsNull) ends.Last = request;
            else LinkOf(next).Previous = request;
            ends.Count++;
            // Inserted into an ordered queue, the member keeps it ordered exactly when it falls between its neighbours; a queue out of order stays so.
            if (ends.Order == ArrivalOrder.InOrder)
                ends.Order = (anchor.IsNull || !Later(anchor, request)) && (next.IsNull || !Later(request, next)) ? ArrivalOrder.InOrder : ArrivalOrder.OutOfOrder;
        }

        /// <summary>Takes <paramref name="request"/> out of this queue, keeping the others in order.</summary>
        public void Remove(Entity request)
        {
            ref QueueLink link = ref LinkOf(request);
            if (link.Queue != _kind) throw new InvalidOperationException(request + " is not in the " + _kind + " queue");
            ref QueueEnds ends = ref Ends;
            if (link.Previous.IsNull) ends.First = link.Next;
            else LinkOf(link.Previous).Next = link.Next;
            if (link.Next.IsNull) ends.Last = link.Previous;
            else LinkOf(link.Next).Previous = link.Previous;
            ends.Count--;
            // A removal keeps arrival order but may restore it.
            if (ends.Order == ArrivalOrder.OutOfOrder) ends.Order = ArrivalOrder.Unknown;
            link = default;
        }

        public Entity PopFront()
        {
            Entity first = Ends.First;
            if (first.IsNull) throw new InvalidOperationException("the " + _kind + " queue is empty");
            Remove(first);
            return first;
        }

        /// <summary>Moves <paramref name="request"/>, a member, to the front, keeping the others in order.</summary>
        public void MoveToFront(Entity request)
        {
            if (request == Ends.First) return;
            Remove(request);
            PushFront(request);
        }

        /// <summary>
        /// The members front to back, each as its row (one entity lookup a member). The next member is read from the
        /// current one's link when the enumerator moves on, so members behind the current one may leave meanwhile (the
        /// newest, preempted); the current one must stay (removing it ends the walk).
        /// </summary>
        public Enumerator GetEnumerator() => new Enumerator(_world, First);

        /// <summary>
        /// Whether the members are in arrival order, ties by id (members are requests). What is found is kept in the queue's
        /// ends and kept up to date by insertions (the new member against its neighbours) and removals (which keep the
        /// order), so the members are walked only when the order is not known: at first and after a queue out of order
        /// lost a member.
        /// </summary>
        public bool InArrivalOrder()
        {
            if (Ends.Order == ArrivalOrder.Unknown)
            {
                ArrivalOrder found = WalkArrivalOrder();
                Ends.Order = found;
            }
            return Ends.Order == ArrivalOrder.InOrder;
        }

        ArrivalOrder WalkArrivalOrder()
        {
            double aheadArrivalS = double.NegativeInfinity;
            long aheadId = long.MinValue;
            foreach (RequestRow row in this)
            {
                ref RequestInfo info = ref row.Info;
                if (!info.ArrivedAfter(aheadArrivalS, aheadId)) return ArrivalOrder.OutOfOrder;
                aheadArrivalS = info.ArrivalS;
                aheadId = info.Id;
            }
            return ArrivalOrder.InOrder;
        }

        /// <summary>Whether request <paramref name="ahead"/> arrived after <paramref name="behind"/> (at the same time, with a larger id).</summary>
        bool Later(Entity ahead, Entity behind)
        {
            ref RequestInfo b = ref new RequestRow(_world, behind).Info;
            return new RequestRow(_world, ahead).Info.ArrivedAfter(b.ArrivalS, b.Id);
        }

        ref QueueLink LinkOf(Entity request) => ref _world.Locate(request, out int row).Column<QueueLink>()[row];

        /// <summary>
        /// Walks a queue without allocating. It locates the member behind the current one as soon as it moves on, so
        /// that lookup overlaps the caller's work instead of each hop waiting for the last (a list's walk is otherwise
        /// one chain of dependent loads); it uses that row only if the member is still the next one.
        /// </summary>
        public struct Enumerator
        {
            readonly World _world;
            readonly Entity _first;
            RequestRow _current;
            Entity _aheadEntity;
            RequestRow _ahead;
            bool _started;

            public Enumerator(World world, Entity first)
            {
                _world = world;
                _first = first;
                _current = default;
                _aheadEntity = Entity.Null;
                _ahead = default;
                _started = false;
            }

            public RequestRow Current => _current;

            public bool MoveNext()
            {
                Entity next = _started ? _current.Link.Next : _first;
                _started = true;
                if (next.IsNull) return false;
                _current = !_aheadEntity.IsNull && next == _aheadEntity ? _ahead : new RequestRow(_world, next);
                _aheadEntity = _current.Link.Next;
                if (!_aheadEntity.IsNull) _ahead = new RequestRow(_world, _aheadEntity);
                return true;
            }
        }
    }
}
