using System;
using System.Linq;
using NUnit.Framework;

namespace Sim.Core.Tests.Trace
{
    public class DeterministicRngTests
    {
        const int Draws = 100000;

        [Test]
        public void FirstOutputsMatchAnIndependentReference()
        {
            // A separate Python implementation of splitmix64 seeding + xoshiro256** (Blackman & Vigna's reference
            // algorithm, written from the paper's C code) gives these first outputs.
            var zero = new DeterministicRng(0);
            Assert.That(new[] { zero.NextUInt64(), zero.NextUInt64(), zero.NextUInt64() },
                Is.EqualTo(new[] { 11091344671253066420UL, 13793997310169335082UL, 1900383378846508768UL }));
            var one = new DeterministicRng(1);
            Assert.That(new[] { one.NextUInt64(), one.NextUInt64(), one.NextUInt64() },
                Is.EqualTo(new[] { 12966619160104079557UL, 9600361134598540522UL, 10590380919521690900UL }));
        }

        [Test]
        public void NextDoubleUsesTheTop53Bits()
        {
            // Seed 1's first output 12966619160104079557 >> 11, divided by 2^53, is 0.7029218331588505.
            var one = new DeterministicRng(1);
            Assert.That(one.NextDouble(), Is.EqualTo(0.7029218331588505));
            Assert.That(one.NextDouble(), Is.EqualTo(0.5204366199388569));
        }

        [Test]
        public void StreamsHashTheirNameWithFnv1a()
        {
            // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c (the published test vector); the stream seed is seed ^ hash.
            Assert.That(DeterministicRng.ForStream(1, "a").NextUInt64(), Is.EqualTo(new DeterministicRng(1 ^ 0xaf63dc4c8601ec8cUL).NextUInt64()));
            Assert.That(DeterministicRng.ForStream(1, "arrivals").NextUInt64(), Is.EqualTo(14749870513678337649UL));
            Assert.That(DeterministicRng.ForStream(1, "a").NextUInt64(), Is.Not.EqualTo(DeterministicRng.ForStream(1, "b").NextUInt64()));
        }

        [Test]
        public void ExponentialHasMeanAndVarianceOfItsRate()
        {
            // Rate 4: mean 0.25, variance 1/16. Over 100,000 draws the relative standard error of the mean is
            // 0.32% and of the variance about 0.9%; the bounds are about 5 of those.
            var rng = new DeterministicRng(7);
            double[] x = Enumerable.Range(0, Draws).Select(_ => rng.NextExponential(4)).ToArray();
            Assert.That(x.Average(), Is.EqualTo(0.25).Within(0.25 * 0.016));
            Assert.That(Variance(x), Is.EqualTo(1.0 / 16).Within(0.045 / 16));
            Assert.That(x.Min(), Is.GreaterThanOrEqualTo(0));
        }

        [TestCase(0.5, 2.0)]
        [TestCase(4.0, 0.5)]
        public void GammaHasMeanShapeTimesScale(double shape, double scale)
        {
            // Mean k·θ, variance k·θ²: (0.5, 2) → 1 and 2 (the shape < 1 boost path); (4, 0.5) → 2 and 1.
            var rng = new DeterministicRng(11);
            double[] x = Enumerable.Range(0, Draws).Select(_ => rng.NextGamma(shape, scale)).ToArray();
            double mean = shape * scale, variance = shape * scale * scale;
            Assert.That(x.Average(), Is.EqualTo(mean).Within(5 * Math.Sqrt(variance / Draws)));
            Assert.That(Variance(x), Is.EqualTo(variance).Within(variance * 0.08));
            Assert.That(x.Min(), Is.GreaterThanOrEqualTo(0));
        }

        [Test]
        public void NormalIsStandardAndRepeatsPerSeed()
        {
            var rng = new DeterministicRng(3);
            double[] x = Enumerable.Range(0, Draws).Select(_ => rng.NextNormal()).ToArray();
            Assert.That(x.Average(), Is.EqualTo(0).Within(5 / Math.Sqrt(Draws)));
            Assert.That(Variance(x), Is.EqualTo(1).Within(5 * Math.Sqrt(2.0 / Draws)));
            var again = new DeterministicRng(3);
            Assert.That(again.NextNormal(), Is.EqualTo(x[0]));
        }

        [Test]
        public void NextIntCoversEachValueEvenly()
        {
            // 60,000 draws of 0..5: each count is binomial(60000, 1/6), mean 10,000, sd 91; allow 5 sd.
            var rng = new DeterministicRng(5);
            var counts = new int[6];
            for (int i = 0; i < 60000; i++) counts[rng.NextInt(6)]++;
            Assert.That(counts, Has.All.InRange(10000 - 456, 10000 + 456));
            Assert.That(new DeterministicRng(5).NextInt(1), Is.EqualTo(0));
        }

        [Test]
        public void RejectsArgumentsWithoutAMeaning()
        {
            var rng = new DeterministicRng(1);
            Assert.Throws<ArgumentOutOfRangeException>(() => rng.NextInt(0));
            Assert.Throws<ArgumentOutOfRangeException>(() => rng.NextExponential(0));
            Assert.Throws<ArgumentOutOfRangeException>(() => rng.NextExponential(double.NaN));
            Assert.Throws<ArgumentOutOfRangeException>(() => rng.NextGamma(0, 1));
            Assert.Throws<ArgumentOutOfRangeException>(() => rng.NextGamma(1, double.PositiveInfinity));
        }

        static double Variance(double[] x)
        {
            double mean = x.Average();
            return x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1);
        }
    }
}
