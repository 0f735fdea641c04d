using System;
using System.Collections.Generic;
using NUnit.Framework;
using Sim.Core.Ecs;

namespace Sim.Core.Tests.Ecs
{
    public class StructuralTests
    {
        [Test]
        public void Add_MovesToANewArchetypeAndKeepsValues()
        {
            var world = new World();
            Entity a = world.Create(new Position(1, 2), new Label("a"));
            Entity b = world.Create(new Position(3, 4), new Label("b"));
            Archetype before = world.GetArchetype(a);

            world.Add(a, new Health(9));

            Assert.That(world.GetArchetype(a), Is.Not.SameAs(before));
            Assert.That(world.Get<Position>(a).Y, Is.EqualTo(2));
            Assert.That(world.Get<Label>(a).Text, Is.EqualTo("a"));
            Assert.That(world.Get<Health>(a).Hp, Is.EqualTo(9));
            // b was swapped into a's old row
            Assert.That(world.Get<Position>(b).X, Is.EqualTo(3));
            Assert.That(world.Get<Label>(b).Text, Is.EqualTo("b"));
            Assert.That(before.EntityCount, Is.EqualTo(1));
        }

        [Test]
        public void Remove_KeepsTheOtherComponents()
        {
            var world = new World();
            Entity e = world.Create(new Position(5, 6), new Health(7), new Velocity(8, 9));

            world.Remove<Health>(e);

            Assert.That(world.Has<Health>(e), Is.False);
            Assert.That(world.Get<Position>(e).X, Is.EqualTo(5));
            Assert.That(world.Get<Velocity>(e).Dy, Is.EqualTo(9));
            Assert.That(world.Size, Is.EqualTo(1));
        }

        [Test]
        public void CreatingWithSevenComponents_LandsWhereSixAndAnAddWould()
        {
            var world = new World();
            Entity added = world.Create(new Position(1, 2), new Velocity(3, 4), new Health(5), new Label("a"), new Frozen(), new Components.QueueLink());
            world.Add(added, new Marked());
            Entity made = world.Create(new Position(6, 7), new Velocity(8, 9), new Health(10), new Label("b"), new Frozen(), new Components.QueueLink(),
                new Marked());
            Assert.That(world.GetArchetype(made), Is.SameAs(world.GetArchetype(added)));
            Assert.That((world.Get<Position>(made).Y, world.Get<Velocity>(made).Dx, world.Get<Health>(made).Hp, world.Get<Label>(made).Text),
                Is.EqualTo((7, 8, 10, "b")));
            Assert.That(world.GetArchetype(made).EntityCount, Is.EqualTo(2));
        }

        [Test]
        public void ArchetypeOf_IsTheArchetypeCreateFillsWhateverTheOrderOfItsTypes()
        {
            var world = new World();
            Archetype named = world.ArchetypeOf<Position, Velocity, Health, Label, Frozen, Components.QueueLink>();
            Assert.That(named.EntityCount, Is.Zero);
            Entity made = world.Create(new Components.QueueLink(), new Frozen(), new Label("a"), new Health(1), new Velocity(2, 3), new Position(4, 5));
            Assert.That(world.GetArchetype(made), Is.SameAs(named));
            Assert.That(world.ArchetypeOf<Position, Velocity, Health, Label, Frozen, Components.QueueLink>(), Is.SameAs(named));
            Assert.That(named.EntityCount, Is.EqualTo(1));
            Assert.That(world.ArchetypeOf<Position, Velocity, Health, Label, Marked, Components.QueueLink>(), Is.Not.SameAs(named));
        }

        [Test]
        public void AddThenRemove_ReturnsToTheSameArchetype()
        {
            var world = new World();
            Entity e = world.Create(new Position(1, 1));
            Archetype start = world.GetArchetype(e);

            world.Add(e, new Frozen());
            world.Remove<Frozen>(e);

            Assert.That(world.GetArchetype(e), Is.SameAs(start));
            Assert.That(world.Archetypes.Count, Is.EqualTo(2));
        }

        [Test]
        public void RemovingTheLastComponent_LeavesAnAliveEntityWithNoComponents()
        {
            var world = new World();
            Entity e = world.Create(new Health(1));

            world.Remove<Health>(e);

            Assert.That(world.IsAlive(e), Is.True);
            Assert.That(world.GetArchetype(e).Types.Length, Is.EqualTo(0));
            world.Add(e, new Health(2));
            Assert.That(world.Get<Health>(e).Hp, Is.EqualTo(2));
        }

        [Test]
        public void AddingAPresentOrRemovingAnAbsentComponent_Throws()
        {
            var world = new World();
            Entity e = world.Create(new Position(1, 1));

            Assert.That(() => world.Add(e, new Position(2, 2)), Throws.InvalidOperationException.With.Message.Contains("use Set"));
            Assert.That(() => world.Remove<Health>(e), Throws.InvalidOperationException.With.Message.Contains("has no Health"));
        }

        [Test]
        public void DestroyInTheMiddle_KeepsEveryOtherEntitysData()
        {
            // A row is 24 bytes (entity 8, Position 8, Label reference 8): 262144 / 24 = 10922 rows fit a 256 KiB chunk, which
            // holds the power of two below that, 8,192, and 48,000 entities fill six chunks; destroying every third one swaps
            // rows across chunks.
            var world = new World();
            var entities = new Entity[48000];
            for (int i = 0; i < entities.Length; i++) entities[i] = world.Create(new Position(i, -i), new Label("e" + i));
            Assert.That(world.GetArchetype(entities[0]).ChunkCapacity, Is.EqualTo(8192));

            for (int i = 0; i < entities.Length; i += 3) world.Destroy(entities[i]);

            Assert.That(world.Size, Is.EqualTo(32000));
            for (int i = 0; i < entities.Length; i++)
            {
                if (i % 3 == 0)
                {
                    Assert.That(world.IsAlive(entities[i]), Is.False);
                    continue;
                }
                Position p = world.Get<Position>(entities[i]);
                Assert.That((p.X, p.Y), Is.EqualTo((i, -i)));
                Assert.That(world.Get<Label>(entities[i]).Text, Is.EqualTo("e" + i));
            }
            Archetype archetype = world.GetArchetype(entities[1]);
            Assert.That(archetype.EntityCount, Is.EqualTo(32000));
            Assert.That(archetype.ActiveChunkCount, Is.EqualTo(4)); // ceil(32000 / 8192)
            Assert.That(archetype.GetChunk(3).Count, Is.EqualTo(32000 - 3 * 8192));
            Assert.That(archetype.ChunkCount, Is.EqualTo(6));
            Assert.That(archetype.GetChunk(4).Count, Is.EqualTo(0));
        }

        [Test]
        public void RandomStructuralChanges_AgreeWithADictionaryModel()
        {
            // A second implementation: a dictionary from handle to the components it should hold.
            var world = new World();
            var model = new Dictionary<Entity, (int X, int? Hp, string? Label)>();
            var alive = new List<Entity>();
            var dead = new List<Entity>();
            var random = new Random(1234);
            for (int step = 0; step < 20000; step++)
            {
                int op = alive.Count == 0 ? 0 : random.Next(6);
                Entity e = alive.Count == 0 ? Entity.Null : alive[random.Next(alive.Count)];
                switch (op)
                {
                    case 0:
                        Entity created = world.Create(new Position(step, 0));
                        alive.Add(created);
                        model[created] = (step, null, null);
                        break;
                    case 1:
                        world.Destroy(e);
                        alive.Remove(e);
                        model.Remove(e);
                        dead.Add(e);
                        break;
                    case 2 when model[e].Hp == null:
                        world.Add(e, new Health(step));
                        model[e] = (model[e].X, step, model[e].Label);
                        break;
                    case 2:
                        world.Remove<Health>(e);
                        model[e] = (model[e].X, null, model[e].Label);
                        break;
                    case 3 when model[e].Label == null:
                        world.Add(e, new Label("s" + step));
                        model[e] = (model[e].X, model[e].Hp, "s" + step);
                        break;
                    case 3:
                        world.Remove<Label>(e);
                        model[e] = (model[e].X, model[e].Hp, null);
                        break;
                    default:
                        world.Set(e, new Position(-step, 0));
                        model[e] = (-step, model[e].Hp, model[e].Label);
                        break;
                }
            }

            Assert.That(world.Size, Is.EqualTo(model.Count));
            foreach (KeyValuePair<Entity, (int X, int? Hp, string? Label)> pair in model)
            {
                Assert.That(world.Get<Position>(pair.Key).X, Is.EqualTo(pair.Value.X));
                Assert.That(world.Has<Health>(pair.Key), Is.EqualTo(pair.Value.Hp != null));
                if (pair.Value.Hp != null) Assert.That(world.Get<Health>(pair.Key).Hp, Is.EqualTo(pair.Value.Hp));
                Assert.That(world.Has<Label>(pair.Key), Is.EqualTo(pair.Value.Label != null));
                if (pair.Value.Label != null) Assert.That(world.Get<Label>(pair.Key).Text, Is.EqualTo(pair.Value.Label));
            }
            foreach (Entity e in dead) Assert.That(world.IsAlive(e), Is.False);
            int withHealth = 0;
            foreach ((int X, int? Hp, string? Label) value in model.Values) withHealth += value.Hp != null ? 1 : 0;
            Assert.That(world.CountEntities(new QueryDescription().WithAll<Health>()), Is.EqualTo(withHealth));
        }
    }
}
