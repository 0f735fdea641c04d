using System.Collections.Generic;
using System;
using NUnit.Framework;
using Sim.Core.Ecs;

namespace Sim.Core.Tests.Ecs
{
    public class QueryTests
    {
        /// <summary>10 P, 20 P+V, 30 P+H, 40 P+V+H, 50 H.</summary>
        static World Populated()
        {
            var world = new World();
            for (int i = 0; i < 10; i++) world.Create(new Position(i, 0));
            for (int i = 0; i < 20; i++) world.Create(new Position(i, 0), new Velocity(1, 1));
            for (int i = 0; i < 30; i++) world.Create(new Position(i, 0), new Health(1));
            for (int i = 0; i < 40; i++) world.Create(new Position(i, 0), new Velocity(1, 1), new Health(1));
            for (int i = 0; i < 50; i++) world.Create(new Health(1));
            return world;
        }

        [Test]
        public void Filters_CountExactlyTheEntitiesBuiltWithThem()
        {
            World world = Populated();

            Assert.That(world.CountEntities(new QueryDescription()), Is.EqualTo(150));
            Assert.That(world.CountEntities(new QueryDescription().WithAll<Position>()), Is.EqualTo(100));
            Assert.That(world.CountEntities(new QueryDescription().WithAll<Position, Velocity>()), Is.EqualTo(60));
            Assert.That(world.CountEntities(new QueryDescription().WithAll<Position>().WithAll<Velocity>()), Is.EqualTo(60));
            Assert.That(world.CountEntities(new QueryDescription().WithAll<Position, Velocity, Health>()), Is.EqualTo(40));
            Assert.That(world.CountEntities(new QueryDescription().WithAll<Position>().WithNone<Health>()), Is.EqualTo(30));
            Assert.That(world.CountEntities(new QueryDescription().WithAny<Velocity, Health>()), Is.EqualTo(140));
            Assert.That(world.CountEntities(new QueryDescription().WithAll<Health>().WithNone<Velocity>()), Is.EqualTo(80));
            Assert.That(world.CountEntities(new QueryDescription().WithAny<Velocity>().WithNone<Health>()), Is.EqualTo(20));
            Assert.That(world.CountEntities(new QueryDescription().WithAll<Health>().WithAny<Position, Frozen>()), Is.EqualTo(70));
            Assert.That(world.CountEntities(new QueryDescription().WithAny<Frozen, Label>()), Is.EqualTo(0));
            Assert.That(world.CountEntities(new QueryDescription().WithNone<Position, Health>()), Is.EqualTo(0));
            Assert.That(world.CountEntities(new QueryDescription().WithNone<Frozen, Label, Velocity, Health>()), Is.EqualTo(10));
        }

        [Test]
        public void CachedQuery_SeesArchetypesCreatedLater()
        {
            World world = Populated();
            var positions = new QueryDescription().WithAll<Position>();
            Assert.That(world.CountEntities(positions), Is.EqualTo(100));

            world.Create(new Position(0, 0), new Frozen());
            Entity e = world.Create(new Position(0, 0), new Label("x"));

            Assert.That(world.CountEntities(positions), Is.EqualTo(102));
            world.Destroy(e);
            Assert.That(world.CountEntities(positions), Is.EqualTo(101));
        }

        [Test]
        public void DelegateQuery_VisitsEachMatchingEntityOnce()
        {
            World world = Populated();
            int visits = 0;
            int xSum = 0;

            world.Query(new QueryDescription().WithAll<Position, Velocity>(), (ref Position p, ref Velocity v) =>
            {
                visits++;
                xSum += p.X;
            });

            // x runs 0..19 in the P+V group and 0..39 in the P+V+H group.
            Assert.That(visits, Is.EqualTo(60));
            Assert.That(xSum, Is.EqualTo(19 * 20 / 2 + 39 * 40 / 2));
        }

        [Test]
        public void EntityDelegateQuery_PassesTheOwningEntity()
        {
            var world = new World();
            var entities = new Entity[100];
            for (int i = 0; i < entities.Length; i++) entities[i] = world.Create(new Health(0), new Position(i, 0));

            world.Query(new QueryDescription().WithAll<Health>(), (Entity entity, ref Health h) => h.Hp = entity.Id * 10);

            for (int i = 0; i < entities.Length; i++) Assert.That(world.Get<Health>(entities[i]).Hp, Is.EqualTo(entities[i].Id * 10));
        }

        struct Integrate : IForEach<Position, Velocity>
        {
            public void Update(ref Position p, ref Velocity v)
            {
                p.X += v.Dx;
                p.Y += v.Dy;
            }
        }

        struct SumIdsWhereHealthy : IForEachWithEntity<Health, Position, Velocity>
        {
            public long IdSum;

            public void Update(Entity entity, ref Health h, ref Position p, ref Velocity v)
            {
                if (h.Hp > 0) IdSum += entity.Id;
            }
        }

        [Test]
        public void AChunkEnumerablesEntityCountFollowsItsArchetypesWithoutLockingThem()
        {
            // Position+Velocity (60) and Position+Velocity+Health (40) match; 9,000 more P+V rows take it past one chunk
            // (8,192 rows of 24 bytes), and destroying 300 brings it back: counted as the archetypes change, no iteration begun.
            World world = Populated();
            ChunkEnumerable moving = world.GetChunks(new QueryDescription().WithAll<Position, Velocity>());
            Assert.That(moving.EntityCount, Is.EqualTo(60));
            var made = new Entity[9000];
            for (int i = 0; i < made.Length; i++) made[i] = world.Create(new Position(i, 0), new Velocity(1, 1));
            Assert.That(moving.EntityCount, Is.EqualTo(9060));
            for (int i = 0; i < 300; i++) world.Destroy(made[i]);
            Assert.That(moving.EntityCount, Is.EqualTo(8760));
            ChunkEnumerable none = world.GetChunks(new QueryDescription().WithAll<Frozen>());
            Assert.That(none.EntityCount, Is.EqualTo(0));
            world.Create(new Frozen(), new Position(0, 0)); // an archetype made after the enumerable: found, and not locked
            Assert.That(none.EntityCount, Is.EqualTo(1));
        }

        [Test]
        public void SpansAcrossManyChunks_SumCorrectly()
        {
            // 160,000 rows of 24 bytes: 8,192 rows a chunk (the power of two below 262144 / 24 = 10922), so 20 chunks.
            var world = new World();
            var entities = new Entity[160000];
            for (int i = 0; i < entities.Length; i++) entities[i] = world.Create(new Position(i, 2 * i), new Velocity(1, 3));
            var description = new QueryDescription().WithAll<Position, Velocity>();

            long xSum = 0;
            int chunks = 0;
            int rows = 0;
            foreach (Chunk chunk in world.GetChunks(description))
            {
                chunks++;
                Span<Position> positions = chunk.GetSpan<Position>();
                ReadOnlySpan<Entity> ids = chunk.Entities;
                Assert.That(positions.Length, Is.EqualTo(chunk.Count));
                Assert.That(ids.Length, Is.EqualTo(chunk.Count));
                for (int i = 0; i < positions.Length; i++)
                {
                    xSum += positions[i].X;
                    if (ids[i] != entities[positions[i].X]) Assert.Fail("entity column out of step with Position at row " + i);
                }
                rows += chunk.Count;
            }

            Assert.That(chunks, Is.EqualTo(20));
            Assert.That(rows, Is.EqualTo(160000));
            Assert.That(xSum, Is.EqualTo(159999L * 160000 / 2));

            var integrate = new Integrate();
            world.InlineQuery<Integrate, Position, Velocity>(description, ref integrate);

            for (int i = 0; i < entities.Length; i += 97)
            {
                Position p = world.Get<Position>(entities[i]);
                Assert.That((p.X, p.Y), Is.EqualTo((i + 1, 2 * i + 3)));
            }
        }

        [Test]
        public void InlineEntityQuery_AccumulatesIntoTheStruct()
        {
            var world = new World();
            long expected = 0;
            for (int i = 0; i < 1000; i++)
            {
                Entity e = world.Create(new Health(i % 2), new Position(0, 0), new Velocity(0, 0));
                if (i % 2 == 1) expected += e.Id;
            }
            world.Create(new Health(1), new Position(0, 0)); // no Velocity: not visited

            var sum = new SumIdsWhereHealthy();
            world.InlineEntityQuery<SumIdsWhereHealthy, Health, Position, Velocity>(
                new QueryDescription().WithAll<Health, Position, Velocity>(), ref sum);

            Assert.That(sum.IdSum, Is.EqualTo(expected));
        }

        [Test]
        public void QueryingAComponentTheDescriptionDoesNotRequire_Throws()
        {
            World world = Populated();

            Assert.That(() => world.Query(new QueryDescription().WithAll<Position>(), (ref Velocity v) => { }),
                        Throws.InvalidOperationException.With.Message.Contains("WithAll"));
            Assert.That(() => world.Create(new Frozen()), Throws.Nothing, "the failed query must end its iteration");
        }

        [Test]
        public void StructuralChangesToTheArchetypesAQueryVisits_Throw()
        {
            World world = Populated();
            Entity victim = world.Create(new Position(99, 0), new Label("v"));
            var all = new QueryDescription().WithAll<Position>();

            Assert.That(() => world.Query(all, (ref Position p) => world.Create(new Position(1, 2))),
                        Throws.InvalidOperationException.With.Message.Contains("CommandBuffer"));
            Assert.That(() => world.Query(all, (Entity e, ref Position p) => world.Destroy(victim)),
                        Throws.InvalidOperationException.With.Message.Contains("CommandBuffer"));
            Assert.That(() => world.Query(all, (ref Position p) => world.Add(victim, new Health(1))),
                        Throws.InvalidOperationException);
            Assert.That(() => world.Query(all, (ref Position p) => world.Remove<Label>(victim)),
                        Throws.InvalidOperationException);
            Assert.That(() =>
            {
                foreach (Chunk chunk in world.GetChunks(all)) world.Destroy(victim);
            }, Throws.InvalidOperationException.With.Message.Contains("CommandBuffer"));

            Assert.That(world.IsAlive(victim), Is.True);
            Assert.That(world.Get<Label>(victim).Text, Is.EqualTo("v"));
            world.Destroy(victim); // every query above has ended
            Assert.That(world.IsAlive(victim), Is.False);
        }

        [Test]
        public void StructuralChangesToArchetypesTheQueryDoesNotVisit_AreAllowedAndLeaveItsRowsAlone()
        {
            // The query visits [Position, Velocity] archetypes; entities made and destroyed meanwhile live elsewhere.
            World world = Populated();
            var moving = new QueryDescription().WithAll<Position, Velocity>();
            var made = new List<Entity>();
            int visited = 0;
            world.Query(moving, (ref Position p, ref Velocity v) =>
            {
                visited++;
                made.Add(world.Create(new Frozen()));
                if (made.Count % 2 == 0) world.Destroy(made[made.Count - 2]);
            });
            Assert.That(visited, Is.EqualTo(60));
            Assert.That(world.CountEntities(new QueryDescription().WithAll<Frozen>()), Is.EqualTo(30));
            // An archetype made during the query (Frozen + Label) is not visited, and is not locked once the query ends.
            world.Query(moving, (ref Position p, ref Velocity v) => world.Create(new Frozen(), new Label("new")));
            Assert.That(() => world.Destroy(made[made.Count - 1]), Throws.Nothing);
        }

        [Test]
        public void NestedQueriesAndWritesDuringAQuery_AreAllowed()
        {
            World world = Populated();
            int inner = 0;

            world.Query(new QueryDescription().WithAll<Velocity>(), (Entity e, ref Velocity v) =>
            {
                world.Set(e, new Velocity(5, 5));
                inner = world.CountEntities(new QueryDescription().WithAll<Health>());
            });

            Assert.That(inner, Is.EqualTo(120));
            int fives = 0;
            world.Query(new QueryDescription().WithAll<Velocity>(), (ref Velocity v) => fives += v.Dx == 5 ? 1 : 0);
            Assert.That(fives, Is.EqualTo(60));
        }

        [Test]
        public void BreakingOutOfAChunkLoop_EndsTheIteration()
        {
            World world = Populated();

            foreach (Chunk chunk in world.GetChunks(new QueryDescription()))
            {
                Assert.That(() => world.Create(new Health(2)), Throws.InvalidOperationException);
                break;
            }

            Assert.That(() => world.Create(new Health(2)), Throws.Nothing);
        }
    }
}
