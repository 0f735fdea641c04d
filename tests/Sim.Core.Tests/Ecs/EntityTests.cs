using System;
using NUnit.Framework;
using Sim.Core.Ecs;

namespace Sim.Core.Tests.Ecs
{
    public class EntityTests
    {
        [Test]
        public void Create_StoresEveryComponentValue()
        {
            var world = new World();
            Entity e = world.Create(new Position(1, 2), new Health(7), new Label("a"));

            Assert.That(world.Size, Is.EqualTo(1));
            Assert.That(world.IsAlive(e), Is.True);
            Assert.That(world.Get<Position>(e).X, Is.EqualTo(1));
            Assert.That(world.Get<Position>(e).Y, Is.EqualTo(2));
            Assert.That(world.Get<Health>(e).Hp, Is.EqualTo(7));
            Assert.That(world.Get<Label>(e).Text, Is.EqualTo("a"));
        }

        [Test]
        public void CreateWithFiveComponents_StoresEach()
        {
            var world = new World();
            Entity e = world.Create(new Position(1, 2), new Velocity(3, 4), new Health(5), new Label("x"), new Frozen());

            Assert.That(world.Get<Velocity>(e).Dy, Is.EqualTo(4));
            Assert.That(world.Get<Health>(e).Hp, Is.EqualTo(5));
            Assert.That(world.Has<Frozen>(e), Is.True);
        }

        [Test]
        public void Get_ReturnsAReferenceIntoTheColumn()
        {
            var world = new World();
            Entity e = world.Create(new Position(1, 2));

            world.Get<Position>(e).X = 40;

            Assert.That(world.Get<Position>(e).X, Is.EqualTo(40));
        }

        [Test]
        public void Set_OverwritesAndHasReportsPresence()
        {
            var world = new World();
            Entity e = world.Create(new Position(1, 2));

            world.Set(e, new Position(8, 9));

            Assert.That(world.Get<Position>(e).Y, Is.EqualTo(9));
            Assert.That(world.Has<Position>(e), Is.True);
            Assert.That(world.Has<Velocity>(e), Is.False);
        }

        [Test]
        public void GetOrSetOfAMissingComponent_Throws()
        {
            var world = new World();
            Entity e = world.Create(new Position(1, 2));

            Assert.That(() => world.Get<Velocity>(e), Throws.InvalidOperationException.With.Message.Contains("has no Velocity"));
            Assert.That(() => world.Set(e, new Velocity(1, 1)), Throws.InvalidOperationException);
        }

        [Test]
        public void CreateWithARepeatedType_Throws()
        {
            var world = new World();

            Assert.That(() => world.Create(new Health(1), new Health(2)), Throws.InvalidOperationException.With.Message.Contains("twice"));
            Assert.That(world.Size, Is.EqualTo(0));
        }

        [Test]
        public void Destroy_MakesTheHandleStale()
        {
            var world = new World();
            Entity e = world.Create(new Position(1, 2));
            Entity other = world.Create(new Position(3, 4));

            world.Destroy(e);

            Assert.That(world.Size, Is.EqualTo(1));
            Assert.That(world.IsAlive(e), Is.False);
            Assert.That(() => world.Get<Position>(e), Throws.InvalidOperationException.With.Message.Contains("stale handle detected"));
            Assert.That(() => world.Destroy(e), Throws.InvalidOperationException);
            Assert.That(world.Get<Position>(other).X, Is.EqualTo(3));
        }

        [Test]
        public void RecycledId_GetsABumpedVersionAndTheOldHandleStaysStale()
        {
            var world = new World();
            Entity first = world.Create(new Position(1, 2));
            world.Destroy(first);

            Entity second = world.Create(new Health(5));

            Assert.That(second.Id, Is.EqualTo(first.Id));
            Assert.That(second.Version, Is.EqualTo(first.Version + 1));
            Assert.That(second, Is.Not.EqualTo(first));
            Assert.That(world.IsAlive(first), Is.False);
            Assert.That(world.IsAlive(second), Is.True);
            Assert.That(() => world.Get<Health>(first), Throws.InvalidOperationException.With.Message.Contains("reused by version 2"));
            Assert.That(() => world.Has<Health>(first), Throws.InvalidOperationException);
            Assert.That(() => world.Set(first, new Health(1)), Throws.InvalidOperationException);
            Assert.That(() => world.Add(first, new Velocity(1, 1)), Throws.InvalidOperationException);
            Assert.That(() => world.Remove<Health>(first), Throws.InvalidOperationException);
            Assert.That(() => world.Destroy(first), Throws.InvalidOperationException);
            Assert.That(world.Get<Health>(second).Hp, Is.EqualTo(5));
        }

        [Test]
        public void FreedIdsAreReusedMostRecentFirst()
        {
            var world = new World();
            Entity a = world.Create(new Health(0));
            Entity b = world.Create(new Health(1));
            world.Create(new Health(2));
            world.Destroy(a);
            world.Destroy(b);

            Assert.That(world.Create(new Health(3)).Id, Is.EqualTo(b.Id));
            Assert.That(world.Create(new Health(4)).Id, Is.EqualTo(a.Id));
            Assert.That(world.Create(new Health(5)).Id, Is.EqualTo(3));
        }

        [Test]
        public void NullEntity_IsNeverAlive()
        {
            var world = new World();
            world.Create(new Position(1, 2));

            Assert.That(default(Entity), Is.EqualTo(Entity.Null));
            Assert.That(world.IsAlive(Entity.Null), Is.False);
            Assert.That(world.IsAlive(new Entity(99, 1)), Is.False);
            Assert.That(() => world.Get<Position>(Entity.Null), Throws.InvalidOperationException.With.Message.Contains("Entity.Null"));
        }

        [Test]
        public void ToString_NamesIdAndVersion()
        {
            Assert.That(new Entity(5, 2).ToString(), Is.EqualTo("Entity(Id=5, Version=2)"));
            Assert.That(Entity.Null.ToString(), Is.EqualTo("Entity.Null"));
        }

        [Test]
        public void ComponentTypes_HaveDistinctStableIds()
        {
            Assert.That(ComponentType<Position>.Id, Is.Not.EqualTo(ComponentType<Velocity>.Id));
            Assert.That(ComponentType.Of<Position>(), Is.EqualTo(ComponentType<Position>.Value));
            Assert.That(ComponentType<Position>.Value.Type, Is.EqualTo(typeof(Position)));
            Assert.That(ComponentType<Position>.Value.SizeBytes, Is.EqualTo(8));
        }
    }
}
