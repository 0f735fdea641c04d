using System.Collections.Generic;
using NUnit.Framework;
using Sim.Core.Ecs;

namespace Sim.Core.Tests.Ecs
{
    public class CommandBufferTests
    {
        [Test]
        public void RecordedDuringAQuery_AppliedAtPlayback()
        {
            // 100 entities with Hp = i % 4: those at 0 die and spawn a replacement, the others gain a Velocity.
            var world = new World();
            var entities = new List<Entity>();
            for (int i = 0; i < 100; i++) entities.Add(world.Create(new Health(i % 4), new Position(i, 0)));
            var buffer = new CommandBuffer();
            var living = new QueryDescription().WithAll<Health, Position>();

            world.Query(living, (Entity e, ref Health h, ref Position p) =>
            {
                if (h.Hp == 0)
                {
                    buffer.Destroy(e);
                    buffer.Create(new Position(p.X, 1));
                }
                else
                {
                    buffer.Add(e, new Velocity(p.X, h.Hp));
                }
            });

            Assert.That(buffer.Count, Is.EqualTo(25 * 2 + 75));
            Assert.That(world.Size, Is.EqualTo(100), "nothing applies before playback");

            buffer.Playback(world);

            Assert.That(buffer.Count, Is.EqualTo(0));
            Assert.That(world.Size, Is.EqualTo(100)); // 25 destroyed, 25 created
            Assert.That(world.CountEntities(new QueryDescription().WithAll<Velocity>()), Is.EqualTo(75));
            Assert.That(world.CountEntities(new QueryDescription().WithAll<Position>().WithNone<Health>()), Is.EqualTo(25));
            for (int i = 0; i < 100; i++)
            {
                if (i % 4 == 0)
                {
                    Assert.That(world.IsAlive(entities[i]), Is.False);
                    continue;
                }
                Velocity v = world.Get<Velocity>(entities[i]);
                Assert.That((v.Dx, v.Dy), Is.EqualTo((i, i % 4)));
                Assert.That(world.Get<Position>(entities[i]).X, Is.EqualTo(i));
            }
            int spawnedXSum = 0;
            world.Query(new QueryDescription().WithAll<Position>().WithNone<Health>(), (ref Position p) => spawnedXSum += p.X);
            Assert.That(spawnedXSum, Is.EqualTo(4 * (24 * 25 / 2))); // x = 0, 4, ..., 96
        }

        [Test]
        public void Playback_AppliesInRecordedOrder()
        {
            var world = new World();
            Entity e = world.Create(new Position(0, 0));
            var buffer = new CommandBuffer();

            buffer.Add(e, new Health(1));
            buffer.Set(e, new Health(2));
            buffer.Remove<Position>(e);
            buffer.Add(e, new Position(7, 7));
            buffer.Create(new Health(10), new Label("a"));
            buffer.Create(new Health(11), new Label("b"), new Velocity(1, 2));
            buffer.Playback(world);

            Assert.That(world.Get<Health>(e).Hp, Is.EqualTo(2));
            Assert.That(world.Get<Position>(e).X, Is.EqualTo(7));
            Assert.That(world.Size, Is.EqualTo(3));
            Assert.That(world.CountEntities(new QueryDescription().WithAll<Label, Health>()), Is.EqualTo(2));
            Assert.That(world.CountEntities(new QueryDescription().WithAll<Label, Velocity>()), Is.EqualTo(1));
        }

        [Test]
        public void Playback_EmptiesTheBufferForReuse()
        {
            var world = new World();
            var buffer = new CommandBuffer();
            buffer.Create(new Health(1));
            buffer.Playback(world);

            buffer.Playback(world);
            buffer.Create(new Health(2));
            buffer.Playback(world);

            Assert.That(world.Size, Is.EqualTo(2));
            int hpSum = 0;
            world.Query(new QueryDescription().WithAll<Health>(), (ref Health h) => hpSum += h.Hp);
            Assert.That(hpSum, Is.EqualTo(3));
        }

        [Test]
        public void ACommandOnAStaleEntity_ThrowsAndTheBufferIsEmptied()
        {
            var world = new World();
            Entity e = world.Create(new Health(1));
            var buffer = new CommandBuffer();
            buffer.Destroy(e);
            buffer.Destroy(e);

            Assert.That(() => buffer.Playback(world), Throws.InvalidOperationException.With.Message.Contains("stale handle detected"));
            Assert.That(buffer.Count, Is.EqualTo(0));
            Assert.That(world.IsAlive(e), Is.False);
        }

        [Test]
        public void Clear_DropsCommandsUnapplied()
        {
            var world = new World();
            var buffer = new CommandBuffer();
            buffer.Create(new Health(1));

            buffer.Clear();
            buffer.Playback(world);

            Assert.That(world.Size, Is.EqualTo(0));
        }
    }
}
