using System;
using NUnit.Framework;
using Sim.Core.Ecs;

namespace Sim.Core.Tests.Ecs
{
    public class AllocationTests
    {
        struct AddVelocity : IForEach<Position, Velocity>
        {
            public void Update(ref Position p, ref Velocity v) => p.X += v.Dx;
        }

        struct CountHealthy : IForEachWithEntity<Health>
        {
            public int Count;

            public void Update(Entity entity, ref Health h) => Count += h.Hp > 0 ? 1 : 0;
        }

        static readonly QueryDescription Moving = new QueryDescription().WithAll<Position, Velocity>();
        static readonly QueryDescription Healthy = new QueryDescription().WithAll<Health>().WithNone<Frozen>();
        static readonly ForEach<Position> Nudge = (ref Position p) => p.Y++;

        /// <summary>Creates, queries in every style, records and plays back commands, then destroys everything.</summary>
        static long Round(World world, CommandBuffer buffer, Entity[] entities)
        {
            for (int i = 0; i < entities.Length; i++)
            {
                entities[i] = i % 2 == 0
                    ? world.Create(new Position(i, 0), new Velocity(1, 0))
                    : world.Create(new Health(i), new Label("shared"));
            }
            for (int i = 0; i < entities.Length; i += 2) world.Get<Position>(entities[i]).X += 1;
            world.Set(entities[1], new Health(5));

            var add = new AddVelocity();
            world.InlineQuery<AddVelocity, Position, Velocity>(in Moving, ref add);
            var healthy = new CountHealthy();
            world.InlineEntityQuery<CountHealthy, Health>(in Healthy, ref healthy);
            world.Query(in Moving, Nudge);
            long sum = healthy.Count + world.CountEntities(in Moving);
            foreach (Chunk chunk in world.GetChunks(in Moving))
            {
                Span<Position> positions = chunk.GetSpan<Position>();
                for (int i = 0; i < positions.Length; i++) sum += positions[i].X;
            }

            foreach (Chunk chunk in world.GetChunks(in Healthy))
            {
                ReadOnlySpan<Entity> owners = chunk.Entities;
                for (int i = 0; i < owners.Length; i++) buffer.Destroy(owners[i]);
            }
            buffer.Create(new Health(1), new Label("spawned"));
            buffer.Set(entities[0], new Velocity(2, 0));
            buffer.Playback(world);

            foreach (Chunk chunk in world.GetChunks(in Moving))
            {
                ReadOnlySpan<Entity> owners = chunk.Entities;
                for (int i = 0; i < owners.Length; i++) buffer.Destroy(owners[i]);
            }
            buffer.Playback(world);
            foreach (Chunk chunk in world.GetChunks(in Healthy))
            {
                ReadOnlySpan<Entity> owners = chunk.Entities;
                for (int i = 0; i < owners.Length; i++) buffer.Destroy(owners[i]);
            }
            buffer.Playback(world);
            return sum;
        }

        [Test]
        public void SteadyState_AllocatesNothing()
        {
            var world = new World();
            var buffer = new CommandBuffer();
            var entities = new Entity[5000];
            long expected = Round(world, buffer, entities);
            for (int i = 0; i < 20; i++) Assert.That(Round(world, buffer, entities), Is.EqualTo(expected));
            Assert.That(world.Size, Is.EqualTo(0));

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 50; i++) Round(world, buffer, entities);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.That(allocated, Is.EqualTo(0));
        }
    }
}
