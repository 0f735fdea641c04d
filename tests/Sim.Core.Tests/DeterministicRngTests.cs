using System;
using System.Linq;
using NUnit.Framework;

namespace Sim.Core.Tests
{
    public class DeterministicRngTests
    {
        [Test]
        public void MatchesAnIndependentXoshiro256StarStarReference()
        {
            // First outputs computed with a separate Python implementation of splitmix64 seeding + xoshiro256**.
            var zero = new DeterministicRng(0);
            Assert.That(new[] { zero.NextUInt64(), zero.NextUInt64(), zero.NextUInt64() }, Is.EqualTo(new[] { 11091344671253066420UL, 13793997310169335082UL, 1900383378846508768UL }));
            var answer = new DeterministicRng(42);
            Assert.That(new[] { answer.NextUInt64(), answer.NextUInt64(), answer.NextUInt64() }, Is.EqualTo(new[] { 1546998764402558742UL, 6990951692964543102UL, 12544586762248559009UL }));
        }

        [Test]
        public void StreamsOfOneSeedDiffer()
        {
            Assert.That(DeterministicRng.ForStream(1, "a").NextUInt64(), Is.Not.EqualTo(DeterministicRng.ForStream(1, "b").NextUInt64()));
            Assert.That(DeterministicRng.ForStream(1, "a").NextUInt64(), Is.EqualTo(DeterministicRng.ForStream(1, "a").NextUInt64()));
        }

        [Test]
        public void ExponentialAndGammaMomentsWithinStatisticalBounds()
        {
            var rng = new DeterministicRng(7);
            double[] exp = Enumerable.Range(0, 100000).Select(_ => rng.NextExponential(4)).ToArray();
            Assert.That(exp.Average(), Is.EqualTo(0.25).Within(0.25 * 0.015));
            // Gamma(shape 0.5, scale 2): mean 1, variance 2 (shape·scale²).
            double[] gamma = Enumerable.Range(0, 100000).Select(_ => rng.NextGamma(0.5, 2)).ToArray();
            double mean = gamma.Average();
            Assert.That(mean, Is.EqualTo(1).Within(0.03));
            Assert.That(gamma.Select(g => (g - mean) * (g - mean)).Average(), Is.EqualTo(2).Within(0.15));
            Assert.That(Enumerable.Range(0, 1000).All(_ => rng.NextInt(7) is >= 0 and < 7), Is.True);
            Assert.Throws<ArgumentOutOfRangeException>(() => rng.NextInt(0));
        }
    }
}
