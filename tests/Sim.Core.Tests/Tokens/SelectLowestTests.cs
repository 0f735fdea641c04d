using System;
using System.Linq;
using CsCheck;
using NUnit.Framework;
using Sim.Core.Compute;

namespace Sim.Core.Tests.Tokens
{
    public class SelectLowestTests
    {
        [Test]
        public void TakesTheSmallestKeysTiesToTheLowerIndexInOrder()
        {
            float[] keys = { 3, 1, 2, 1, 0, 2 };
            var lowest = new int[4];
            CpuBackend.Instance.SelectLowest(keys, lowest);
            Assert.That(lowest, Is.EqualTo(new[] { 4, 1, 3, 2 }));
        }

        [Test]
        public void AgreesWithAFullSortOnRandomKeysWithTies()
        {
            // Second implementation: LINQ's stable sort by key keeps equal keys in index order.
            Gen.Select(Gen.Int[0, 20].Array[1, 300], Gen.Int[0, 300]).Sample((values, kWanted) =>
            {
                float[] keys = values.Select(v => (float)v).ToArray();
                int k = Math.Min(kWanted, keys.Length);
                var lowest = new int[k];
                CpuBackend.Instance.SelectLowest(keys, lowest);
                Assert.That(lowest, Is.EqualTo(Enumerable.Range(0, keys.Length).OrderBy(i => keys[i]).Take(k)));
            });
        }
    }
}
