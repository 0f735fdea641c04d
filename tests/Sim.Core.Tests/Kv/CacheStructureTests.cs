using System.Collections.Generic;
using System.Linq;
using CsCheck;
using NUnit.Framework;
using Sim.Core.Kv;

namespace Sim.Core.Tests.Kv
{
    /// <summary>The prefix cache's two data structures against the library collections they replace, on random operation sequences.</summary>
    public class CacheStructureTests
    {
        [Test]
        public void KeyIndexAgreesWithADictionary()
        {
            // Few distinct keys with colliding low bits, so probe runs, backward shifts and growth all happen.
            Gen.Select(Gen.Int[0, 2], Gen.Int[1, 40], Gen.Int[0, 1000]).Array[1, 400].Sample(operations =>
            {
                var index = new KeyIndex();
                var reference = new Dictionary<ulong, int>();
                foreach ((int kind, int small, int value) in operations)
                {
                    ulong key = ((ulong)(uint)small << 20) | (uint)(small % 3); // low bits 0..2: long collision runs
                    switch (kind)
                    {
                        case 0:
                            Assert.That(index.TryAdd(key, value), Is.EqualTo(reference.TryAdd(key, value)));
                            break;
                        case 1:
                            Assert.That(index.Remove(key), Is.EqualTo(reference.Remove(key)));
                            break;
                        default:
                            bool found = index.TryGetValue(key, out int got);
                            Assert.That(found, Is.EqualTo(reference.TryGetValue(key, out int expected)));
                            if (found) Assert.That(got, Is.EqualTo(expected));
                            break;
                    }
                    Assert.That(index.Count, Is.EqualTo(reference.Count));
                }
                foreach (KeyValuePair<ulong, int> entry in reference)
                    Assert.That(index.TryGetValue(entry.Key, out int value) && value == entry.Value, Is.True);
            });
        }

        [Test]
        public void EvictionHeapPopsInScoreThenEntryOrder()
        {
            // Scores from a small set (many ties), some rising and some not, so both the sorted run and the heap fill up.
            Gen.Select(Gen.Int[0, 2], Gen.Int[0, 63], Gen.Int[0, 5]).Array[1, 300].Sample(operations =>
            {
                var heap = new EvictionHeap();
                var reference = new SortedSet<(double Score, long Order, int Id)>();
                var entryOf = new Dictionary<int, (double, long, int)>();
                long order = 0;
                foreach ((int kind, int id, int score) in operations)
                {
                    if (kind == 0 && !entryOf.ContainsKey(id))
                    {
                        heap.Push(id, score);
                        entryOf[id] = (score, order, id);
                        reference.Add((score, order++, id));
                    }
                    else if (kind == 1 && entryOf.TryGetValue(id, out var entry))
                    {
                        heap.Remove(id);
                        reference.Remove(entry);
                        entryOf.Remove(id);
                    }
                    else if (kind == 2 && reference.Count > 0)
                    {
                        var min = reference.Min;
                        Assert.That(heap.PopMin(out double popped), Is.EqualTo(min.Id));
                        Assert.That(popped, Is.EqualTo(min.Score));
                        reference.Remove(min);
                        entryOf.Remove(min.Id);
                    }
                    Assert.That(heap.Count, Is.EqualTo(reference.Count));
                }
                Assert.That(Enumerable.Range(0, 64).All(id => heap.Contains(id) == entryOf.ContainsKey(id)), Is.True);
            });
        }
    }
}
