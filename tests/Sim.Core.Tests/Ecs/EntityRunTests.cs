using System;
using NUnit.Framework;
using Sim.Core.Ecs;
using Sim.Core.Snapshots;

namespace Sim.Core.Tests.Ecs
{
    public class EntityRunTests
    {
        /// <summary>
        /// 100 other entities, then a run of 19,200 (rows 100..19299; a row of 24 bytes, entity, Position and Velocity, so
        /// chunks of 8,192 rows: chunks 0, 1 and 2), then 50 more: a run that starts mid-chunk and spans three chunks.
        /// </summary>
        static Entity[] Run(World world, out Entity[] before)
        {
            before = new Entity[100];
            for (int i = 0; i < before.Length; i++) before[i] = world.Create(new Position(-1, i), new Velocity(0, 0));
            var run = new Entity[19200];
            for (int i = 0; i < run.Length; i++) run[i] = world.Create(new Position(i, 2 * i), new Velocity(1, 1));
            for (int i = 0; i < 50; i++) world.Create(new Position(-2, i), new Velocity(2, 2));
            return run;
        }

        [Test]
        public void ChunksHoldAPowerOfTwoRowsAndKnowTheirPlace()
        {
            var world = new World();
            Run(world, out _);
            Archetype archetype = world.Archetypes[0];
            // Rows of 24 bytes (entity 8, Position 8, Velocity 8): 262144 / 24 = 10922 fit a 256 KiB chunk, so 8192; of 16
            // bytes: 16384 exactly.
            Assert.That(archetype.ChunkCapacity, Is.EqualTo(8192));
            Assert.That(world.GetArchetype(world.Create(new Position(0, 0))).ChunkCapacity, Is.EqualTo(16384));
            Assert.That(archetype.ActiveChunkCount, Is.EqualTo(3)); // 19,350 rows
            for (int c = 0; c < archetype.ChunkCount; c++) Assert.That(archetype.GetChunk(c).Index, Is.EqualTo(c));
        }

        [Test]
        public void ColumnsReadAndWriteEachEntitysComponentAcrossChunks()
        {
            var world = new World();
            Entity[] entities = Run(world, out _);
            var run = new EntityRun<Position>(world, entities);
            RunColumns<Position> columns = run.Columns();
            for (int i = 0; i < entities.Length; i++)
                Assert.That((columns[i].X, columns[i].Y), Is.EqualTo((i, 2 * i)), "entity " + i);
            columns[17100].Y = -7;
            Assert.That(world.Get<Position>(entities[17100]).Y, Is.EqualTo(-7), "the run's column is the world's");
        }

        [Test]
        public void ARowLeavingTheArchetypeIsNoticedAndTheRunFoundAgain()
        {
            var world = new World();
            Entity[] entities = Run(world, out Entity[] before);
            var run = new EntityRun<Position>(world, entities);
            Archetype archetype = world.GetArchetype(entities[0]);
            int version = archetype.LayoutVersion;
            world.Create(new Position(-3, 0), new Velocity(3, 3));
            Assert.That(archetype.LayoutVersion, Is.EqualTo(version), "appending moves no row");
            // The archetype's last row is destroyed: nothing of the run moves, and the run is checked and kept.
            Chunk last = archetype.GetChunk(archetype.ActiveChunkCount - 1);
            world.Destroy(last.Entities[last.Count - 1]);
            Assert.That(archetype.LayoutVersion, Is.Not.EqualTo(version));
            Assert.That(run.Columns()[8700].X, Is.EqualTo(8700));
            // An entity ahead of the run is destroyed: the archetype's last row moves into its place, the run stays.
            world.Destroy(before[0]);
            Assert.That(run.Columns()[19199].Y, Is.EqualTo(38398));
            // One of the run moves to another archetype, the last row into its place: the run is broken, and using it says so.
            world.Add(entities[10], new Health(1));
            var error = Assert.Throws<InvalidOperationException>(() => run.Columns())!;
            Assert.That(error.Message, Does.Contain("no longer follows"));
        }

        [Test]
        public void ARestoredSnapshotIsFoundAgain()
        {
            var world = new World();
            Entity[] entities = Run(world, out _);
            var writer = new SnapshotWriter();
            world.Save(writer);
            var run = new EntityRun<Position>(world, entities);
            run.Columns()[5].X = 555;
            world.Load(new SnapshotReader(writer.ToArray()));
            Assert.That(run.Columns()[5].X, Is.EqualTo(5), "the restored value, read through the run found again");
        }
    }
}
