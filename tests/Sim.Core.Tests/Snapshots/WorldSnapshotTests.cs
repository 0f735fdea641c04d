using System;
using System.Collections;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Snapshots;

namespace Sim.Core.Tests.Snapshots
{
    public class WorldSnapshotTests
    {
        struct Heat
        {
            public double Celsius;
            public int Ticks;
        }

        /// <summary>
        /// Everything observable about a world, written out by walking its archetypes and rows and formatting each
        /// value (arrays element by element): a second reading of the state, independent of the snapshot encoding.
        /// </summary>
        static string Dump(World world)
        {
            var text = new StringBuilder("size " + world.Size + "\n");
            foreach (Archetype archetype in world.Archetypes)
            {
                text.Append("archetype ").Append(archetype).Append('\n');
                for (int c = 0; c < archetype.ActiveChunkCount; c++)
                {
                    Chunk chunk = archetype.GetChunk(c);
                    for (int row = 0; row < chunk.Count; row++)
                    {
                        text.Append("  ").Append(chunk.Entities[row]).Append(world.IsAlive(chunk.Entities[row]) ? "" : " DEAD");
                        foreach (Array column in chunk.Columns)
                        {
                            object value = column.GetValue(row)!;
                            foreach (var field in value.GetType().GetFields())
                            {
                                object? v = field.GetValue(value);
                                text.Append(' ').Append(field.Name).Append('=').Append(v is IEnumerable items && v is not string ? "[" + string.Join(",", items.Cast<object>()) + "]" : v);
                            }
                        }
                        text.Append('\n');
                    }
                }
            }
            return text.ToString();
        }

        static World Populated(out Entity[] requests)
        {
            var world = new World();
            for (int i = 0; i < 700; i++) world.Create(new KvPage { Replica = 0, Index = i, RefCount = i % 3, ContentKey = (ulong)i * 7919 });
            requests = new Entity[300];
            for (int i = 0; i < requests.Length; i++)
                requests[i] = world.Create(
                    new RequestInfo { Id = i, ArrivalS = i * 0.25, PromptTokens = 100 + i, OutputTokens = 5, HashIds = i % 4 == 0 ? null : new[] { i, i + 1, i + 2 } },
                    new KvPageTable { Pages = new[] { i % 700, (i + 1) % 700 }, PageCount = 2, PackedPages = Array.Empty<int>() });
            for (int i = 0; i < requests.Length; i += 7) world.Destroy(requests[i]);
            for (int i = 0; i < 50; i++) world.Create(new Heat { Celsius = i * 1.5, Ticks = i });
            return world;
        }

        static byte[] Snapshot(World world)
        {
            var writer = new SnapshotWriter();
            world.Save(writer);
            return writer.ToArray();
        }

        static void Mutate(World world, Entity[] requests)
        {
            for (int i = 1; i < requests.Length; i += 5)
                if (world.IsAlive(requests[i])) world.Destroy(requests[i]);
            for (int i = 0; i < 40; i++) world.Create(new RequestInfo { Id = 1000 + i, HashIds = new[] { 9 } }, new KvPageTable { Pages = new[] { 1 }, PageCount = 1, PackedPages = Array.Empty<int>() });
            for (int i = 0; i < 10; i++) world.Create(new Heat { Celsius = -i }, new KvPage { Index = -i });
            world.Query(new QueryDescription().WithAll<KvPage>(), (ref KvPage page) => page.RefCount += 10);
        }

        [Test]
        public void RestoringInPlaceBringsBackEveryEntityComponentAndHandle()
        {
            World world = Populated(out Entity[] requests);
            string before = Dump(world);
            byte[] snapshot = Snapshot(world);
            Entity destroyedAfter = requests[1];
            Mutate(world, requests);
            Entity createdAfter = world.Create(new Heat { Celsius = 99 });
            Assert.That(Dump(world), Is.Not.EqualTo(before));

            var reader = new SnapshotReader(snapshot);
            world.Load(reader);
            Assert.That(reader.AtEnd, Is.True);
            Assert.That(Dump(world), Is.EqualTo(before + "archetype Archetype[KvPage, Heat] 0 entities\n"), "same rows, same values; the archetype made since is empty");
            Assert.That(world.IsAlive(destroyedAfter), Is.True);
            Assert.That(world.Get<RequestInfo>(destroyedAfter).HashIds, Is.EqualTo(new[] { 1, 2, 3 }));
            Assert.That(world.IsAlive(createdAfter), Is.False, "a handle from after the snapshot is stale");
            Assert.That(world.IsAlive(requests[7]), Is.False, "destroyed before the snapshot, still gone");
        }

        [Test]
        public void AFreshWorldRestoredFromASnapshotRunsOnIdentically()
        {
            World original = Populated(out Entity[] requests);
            byte[] snapshot = Snapshot(original);
            var restored = new World();
            restored.Load(new SnapshotReader(snapshot));
            Assert.That(Dump(restored), Is.EqualTo(Dump(original)));
            // The same operations on both (ids from the same free lists, rows in the same places) stay identical.
            Mutate(original, requests);
            Mutate(restored, requests);
            Assert.That(Dump(restored), Is.EqualTo(Dump(original)));
        }

        [Test]
        public void LoadingRewritesRowsInPlace()
        {
            World world = Populated(out Entity[] requests);
            Entity page = world.Archetypes[0].GetChunk(0).Entities[5];
            KvPage[] slot = world.Locate(page, out int row).Column<KvPage>();
            byte[] snapshot = Snapshot(world);
            slot[row].RefCount = 12345;
            world.Load(new SnapshotReader(snapshot));
            Assert.That(world.Locate(page, out int rowAfter).Column<KvPage>(), Is.SameAs(slot));
            Assert.That((rowAfter, slot[row].RefCount), Is.EqualTo((row, 5 % 3)));
        }

        [Test]
        public void ASnapshotOfAWorldBuiltDifferentlyIsRefused()
        {
            var heatFirst = new World();
            heatFirst.Create(new Heat { Celsius = 1 });
            World pagesFirst = Populated(out _);
            var error = Assert.Throws<SnapshotException>(() => heatFirst.Load(new SnapshotReader(Snapshot(pagesFirst))))!;
            Assert.That(error.Message, Does.Contain("archetype 0"));
            Assert.Throws<SnapshotException>(() => new World().Load(new SnapshotReader(new byte[] { 1, 2, 3 })));
        }
    }
}
