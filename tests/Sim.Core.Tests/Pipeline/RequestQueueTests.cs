using System;
using System.Collections.Generic;
using NUnit.Framework;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;
using Sim.Core.Tests.Ecs;

namespace Sim.Core.Tests.Pipeline
{
    /// <summary>The queues linked through request entities, checked against orders worked out by hand.</summary>
    public class RequestQueueTests
    {
        World _world = null!;
        Entity _replica;
        Entity[] _requests = null!;

        [SetUp]
        public void MakeReplicaAndRequests()
        {
            _world = new World();
            _replica = _world.Create(new ReplicaQueues());
            // Requests a..e carry their letter's number as Position.X, so an order reads back as a word.
            _requests = new Entity[5];
            for (int i = 0; i < _requests.Length; i++) _requests[i] = _world.Create(new Position(i, 0), new QueueLink());
        }

        Entity R(char letter) => _requests[letter - 'a'];

        RequestQueue Waiting => RequestQueue.Of(_world, _replica, QueueKind.Waiting);

        RequestQueue Running => RequestQueue.Of(_world, _replica, QueueKind.Running);

        /// <summary>The queue front to back by letters, and back to front through the other links.</summary>
        string Read(RequestQueue queue)
        {
            var forward = new List<char>();
            foreach (RequestRow request in queue) forward.Add((char)('a' + _world.Get<Position>(request.Entity).X));
            var backward = new List<char>();
            for (Entity request = queue.Last; !request.IsNull; request = queue.Before(request)) backward.Add((char)('a' + _world.Get<Position>(request).X));
            backward.Reverse();
            Assert.That(new string(backward.ToArray()), Is.EqualTo(new string(forward.ToArray())), "the previous links disagree with the next links");
            Assert.That(queue.Count, Is.EqualTo(forward.Count));
            return new string(forward.ToArray());
        }

        [Test]
        public void PushesRemovesAndMovesKeepTheOthersInOrder()
        {
            RequestQueue waiting = Waiting;
            waiting.PushBack(R('a'));
            waiting.PushBack(R('b'));
            waiting.PushBack(R('c'));
            waiting.PushFront(R('d'));
            Assert.That(Read(waiting), Is.EqualTo("dabc"));
            Assert.That(waiting.First, Is.EqualTo(R('d')));
            Assert.That(waiting.Last, Is.EqualTo(R('c')));

            waiting.Remove(R('b'));
            Assert.That(Read(waiting), Is.EqualTo("dac"));
            waiting.MoveToFront(R('c'));
            Assert.That(Read(waiting), Is.EqualTo("cda"));
            waiting.InsertAfter(R('d'), R('b'));
            Assert.That(Read(waiting), Is.EqualTo("cdba"));
            waiting.InsertAfter(R('a'), R('e'));
            Assert.That(Read(waiting), Is.EqualTo("cdbae"));
            Assert.That(waiting.PopFront(), Is.EqualTo(R('c')));
            waiting.Remove(R('e'));
            Assert.That(Read(waiting), Is.EqualTo("dba"));
            Assert.That(Read(Running), Is.EqualTo(""));
        }

        [Test]
        public void ARequestLeavingOneQueueCanJoinTheOther()
        {
            Waiting.PushBack(R('a'));
            Waiting.PushBack(R('b'));
            Running.PushBack(Waiting.PopFront());
            Assert.That(Read(Waiting), Is.EqualTo("b"));
            Assert.That(Read(Running), Is.EqualTo("a"));
            Assert.That(_world.Get<QueueLink>(R('a')).Queue, Is.EqualTo(QueueKind.Running));

            Running.Remove(R('a'));
            Assert.That(_world.Get<QueueLink>(R('a')).Queue, Is.EqualTo(QueueKind.None));
            Assert.That(Running.First.IsNull && Running.Last.IsNull, Is.True);
            Waiting.PushFront(R('a'));
            Assert.That(Read(Waiting), Is.EqualTo("ab"));
        }

        [Test]
        public void AMemberCannotJoinTwiceNorLeaveAQueueItIsNotIn()
        {
            Waiting.PushBack(R('a'));
            Assert.Throws<InvalidOperationException>(() => Running.PushBack(R('a')));
            Assert.Throws<InvalidOperationException>(() => Running.Remove(R('a')));
            Assert.Throws<InvalidOperationException>(() => Running.PopFront());
            Assert.That(Read(Waiting), Is.EqualTo("a"));
        }

        [Test]
        public void LinksSurviveRequestsMovingToAnotherChunk()
        {
            foreach (char letter in "abcd") Running.PushBack(R(letter));
            // b changes archetype (a structural move) and c fills its old row.
            _world.Add(R('b'), new Health(1));
            Assert.That(Read(Running), Is.EqualTo("abcd"));
            Running.Remove(R('b'));
            Assert.That(Read(Running), Is.EqualTo("acd"));
        }

        [Test]
        public void WalkingOnAfterTheBackIsPreemptedStopsAtTheNewBack()
        {
            foreach (char letter in "abc") Running.PushBack(R(letter));
            var visited = new List<Entity>();
            foreach (RequestRow request in Running)
            {
                visited.Add(request.Entity);
                if (request.Entity == R('a')) Running.Remove(Running.Last);
            }
            Assert.That(visited, Is.EqualTo(new[] { R('a'), R('b') }));
        }

        /// <summary>A request arriving at <paramref name="arrivalS"/> with <paramref name="id"/>, in no queue.</summary>
        Entity Arriving(double arrivalS, long id) => _world.Create(new RequestInfo { Id = id, ArrivalS = arrivalS }, new QueueLink());

        [Test]
        public void ArrivalOrderIsEarliestFirstTiesByIdAndFollowsInsertionsAndRemovals()
        {
            Entity a = Arriving(0, 5), b = Arriving(1, 2), c = Arriving(1, 3), d = Arriving(0.5, 9);
            RequestQueue running = Running;
            Assert.That(running.InArrivalOrder(), Is.True, "an empty queue");
            running.PushBack(a);
            running.PushBack(c);
            Assert.That(running.InArrivalOrder(), Is.True, "a c: 0 s then 1 s");
            running.InsertAfter(a, b);
            Assert.That(running.InArrivalOrder(), Is.True, "a b c: b and c tie at 1 s, id 2 before 3");
            running.Remove(b);
            running.PushBack(b);
            Assert.That(running.InArrivalOrder(), Is.False, "a c b: id 3 before 2 at the same 1 s");
            running.Remove(c);
            Assert.That(running.InArrivalOrder(), Is.True, "a b: a removal restored the order");
            running.PushBack(d);
            Assert.That(running.InArrivalOrder(), Is.False, "a b d: 1 s before 0.5 s");
            running.Remove(d);
            running.InsertAfter(a, d);
            Assert.That(running.InArrivalOrder(), Is.True, "a d b");
        }

        [Test]
        public void AnOrderedQueueIsNotWalkedAgainAfterItsInsertionsAndRemovals()
        {
            Entity a = Arriving(0, 1), b = Arriving(1, 2), c = Arriving(2, 3), d = Arriving(3, 4);
            RequestQueue running = Running;
            foreach (Entity request in new[] { a, b, c }) running.PushBack(request);
            Assert.That(running.InArrivalOrder(), Is.True);
            // Arrivals never change in a run; changing one here shows whether the members are read again.
            _world.Get<RequestInfo>(a).ArrivalS = 5;
            running.Remove(c);
            Assert.That(running.InArrivalOrder(), Is.True, "a b after a removal: not walked");
            running.PushBack(d);
            Assert.That(running.InArrivalOrder(), Is.True, "a b d: d was checked against b alone");
            running.PushFront(c);
            Assert.That(running.InArrivalOrder(), Is.True, "c a b d: c at 2 s was checked against a alone (a walk would find a at 5 s ahead of b)");
            running.InsertAfter(b, Arriving(0.5, 5));
            Assert.That(running.InArrivalOrder(), Is.False, "c a b e d: e at 0.5 s behind b at 1 s");
        }

        [Test]
        public void ArrivalOrderKeptThroughEditsAgreesWithAWalk()
        {
            var random = new Random(7);
            var requests = new Entity[12];
            // Arrivals on a coarse grid, so that ties (ordered by id) are common.
            for (int i = 0; i < requests.Length; i++) requests[i] = Arriving(random.Next(4), random.Next(100));
            RequestQueue running = Running;
            var members = new List<Entity>();
            for (int edit = 0; edit < 2000; edit++)
            {
                Entity request = requests[random.Next(requests.Length)];
                if (members.Contains(request))
                {
                    running.Remove(request);
                    members.Remove(request);
                }
                else
                {
                    int at = random.Next(members.Count + 1);
                    running.InsertAfter(at == 0 ? Entity.Null : members[at - 1], request);
                    members.Insert(at, request);
                }
                if (random.Next(3) == 0) Assert.That(running.InArrivalOrder(), Is.EqualTo(Ordered(members)), "after edit " + edit);
            }
        }

        /// <summary>Whether <paramref name="members"/> are in arrival order, ties by id, each pair compared afresh.</summary>
        bool Ordered(List<Entity> members)
        {
            for (int i = 1; i < members.Count; i++)
            {
                RequestInfo ahead = _world.Get<RequestInfo>(members[i - 1]), behind = _world.Get<RequestInfo>(members[i]);
                if (ahead.ArrivalS > behind.ArrivalS || (ahead.ArrivalS == behind.ArrivalS && ahead.Id > behind.Id)) return false;
            }
            return true;
        }
    }
}
