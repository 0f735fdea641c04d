using System;
using NUnit.Framework;
using Sim.Core.Metrics;

namespace Sim.Core.Tests.Metrics
{
    public class LogHistogramTests
    {
        [Test]
        public void QuantilesMatchExactNearestRankWithinPrecision()
        {
            var random = new Random(3);
            var values = new double[20000];
            var histogram = new LogHistogram();
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = Math.Exp(random.NextDouble() * 12 - 9); // 1e-4 .. 20 s, log-uniform
                histogram.Add(values[i]);
            }
            Array.Sort(values);
            foreach (double q in new[] { 0.01, 0.5, 0.9, 0.99, 0.999 })
            {
                double exact = values[(int)Math.Ceiling(q * values.Length) - 1];
                Assert.That(histogram.Quantile(q), Is.EqualTo(exact).Within(LogHistogram.RelativePrecision * exact * 1.0001), "q=" + q);
            }
            Assert.That(histogram.Max, Is.EqualTo(values[^1]));
            Assert.That(histogram.Count, Is.EqualTo(values.Length));
        }

        [Test]
        public void AValueAddedNTimesAtOnceSumsAsNAddsDo()
        {
            // Ten additions of 0.1 in binary64 give 0.9999999999999999, not the 1.0 that 10 × 0.1 rounds to.
            var once = new LogHistogram();
            once.Add(0.1, 10);
            Assert.That(once.Sum, Is.EqualTo(0.9999999999999999));
            Assert.That(once.Sum, Is.Not.EqualTo(10 * 0.1));
            Assert.That(once.Count, Is.EqualTo(10));
            Assert.That(once.Min, Is.EqualTo(0.1));
            Assert.That(once.Max, Is.EqualTo(0.1));
            // Runs and single values mixed, against the same values added one by one.
            foreach ((double value, int count) in new[] { (0.05, 7), (0.2, 1), (0.05, 3), (3e-7, 2), (0.2, 0) }) once.Add(value, count);
            var reference = new LogHistogram();
            for (int i = 0; i < 10; i++) reference.Add(0.1);
            foreach ((double value, int count) in new[] { (0.05, 7), (0.2, 1), (0.05, 3), (3e-7, 2) })
                for (int i = 0; i < count; i++) reference.Add(value);
            Assert.That(once.Sum, Is.EqualTo(reference.Sum));
            Assert.That(once.Count, Is.EqualTo(23));
            Assert.That(once.Min, Is.EqualTo(3e-7));
            foreach (double q in new[] { 0.05, 0.1, 0.5, 0.6, 0.99 }) Assert.That(once.Quantile(q), Is.EqualTo(reference.Quantile(q)), "q=" + q);
        }

        [Test]
        public void RunsOfOneValueAndTheValuesBetweenThemKeepTheirOwnBuckets()
        {
            // Runs as a batch's tokens give them: 10 gaps of 50 ms, 10 of 200 ms, 5 of 50 ms, 2 below the 1 µs floor.
            var histogram = new LogHistogram();
            foreach ((double value, int count) in new[] { (0.05, 10), (0.2, 10), (0.05, 5), (1e-7, 2) })
                for (int i = 0; i < count; i++) histogram.Add(value);
            // Sorted: 2 × 1e-7, 15 × 0.05, 10 × 0.2. Nearest ranks: p5 the 2nd (1e-7, reported as the observed minimum),
            // p50 the 14th (0.05), p60 the 17th (0.05), p70 the 19th (0.2), p99 the 27th (0.2).
            Assert.That(histogram.Quantile(0.05), Is.EqualTo(1e-7));
            Assert.That(histogram.Quantile(0.5), Is.EqualTo(0.05).Within(LogHistogram.RelativePrecision * 0.05));
            Assert.That(histogram.Quantile(0.6), Is.EqualTo(0.05).Within(LogHistogram.RelativePrecision * 0.05));
            Assert.That(histogram.Quantile(0.7), Is.EqualTo(0.2).Within(LogHistogram.RelativePrecision * 0.2));
            Assert.That(histogram.Quantile(0.99), Is.EqualTo(0.2).Within(LogHistogram.RelativePrecision * 0.2));
            Assert.That(histogram.Count, Is.EqualTo(27));
        }

        [Test]
        public void NearestRankOfSmallSamples()
        {
            // Nearest rank of p90 over 10 values is the 9th; p50 the 5th; p99 the 10th.
            double[] values = { 10, 1, 9, 2, 8, 3, 7, 4, 6, 5 };
            Distribution d = Quantiles.Summarize(values, values.Length);
            Assert.That(d.P50, Is.EqualTo(5));
            Assert.That(d.P90, Is.EqualTo(9));
            Assert.That(d.P99, Is.EqualTo(10));
            Assert.That(d.Mean, Is.EqualTo(5.5));
        }
    }
}
