using System;
using NUnit.Framework;
using Sim.Core.Metrics;

namespace Sim.Core.Tests.Metrics
{
    public class LogBucketIndexTests
    {
        // The histogram's default range: 1e5 s over a 1 µs floor at 0.2 % a bucket, 1 + ln(1e11) / ln(1.002) = 12677.6, so
        // buckets 0 to 12677 and one for the values above.
        const int buckets = 12679;

        // The bucket as the histogram defines it, worked out here with the logarithm for every value.
        static int LogarithmBucket(double value, int buckets) =>
            value <= 1e-6 ? 0 : Math.Min(1 + (int)(Math.Log(value / 1e-6) / Math.Log(1 + 2e-3)), buckets - 1);

        [Test]
        public void EveryValueGetsTheLogarithmsBucketOnceItsNeighboursAreKnown()
        {
            var index = new LogBucketIndex(buckets);
            var random = new Random(11);
            // Log-uniform gaps from 1e-7 to 2e5 s (below the floor and above the last bucket too), many falling between
            // values already found in their bucket (answered without the logarithm).
            for (int i = 0; i < 200000; i++)
            {
                double value = Math.Exp(random.NextDouble() * 28.7 - 16.1);
                Assert.That(index.Of(value), Is.EqualTo(LogarithmBucket(value, buckets)), "value " + value.ToString("R"));
            }
        }

        [Test]
        public void AHintKeptFromEarlierValuesGivesTheLogarithmsBucket()
        {
            var index = new LogBucketIndex(buckets);
            var random = new Random(13);
            LogBucketHint hint = default;
            int hits = 0;
            // Gaps as a replica's batches give them: a slow drift with jumps, 0 and values outside the buckets now and then.
            double gap = 0.03;
            for (int i = 0; i < 200000; i++)
            {
                gap = random.Next(50) == 0 ? Math.Exp(random.NextDouble() * 28.7 - 16.1) : gap * (1 + (random.NextDouble() - 0.45) * 1e-4);
                double value = random.Next(1000) == 0 ? 0 : gap;
                bool held = hint.Holds(value);
                int bucket = held ? hint.Bucket : index.Of(value, out hint);
                if (held) hits++;
                Assert.That(bucket, Is.EqualTo(LogarithmBucket(value, buckets)), "value " + value.ToString("R"));
            }
            // The drift stays in its bucket for most values: the hint answers them.
            Assert.That(hits, Is.GreaterThan(100000));
        }

        [Test]
        public void ValuesOneUlpEitherSideOfABucketEdgeKeepTheirBuckets()
        {
            var index = new LogBucketIndex(buckets);
            var random = new Random(5);
            for (int i = 0; i < 2000; i++)
            {
                // An edge between buckets b and b + 1 (at 1e-6 · 1.002^b), and the doubles nearest it on both sides, in a
                // shuffled order so a bucket's range is found from either side first.
                int b = 1 + random.Next(buckets - 3);
                double edge = 1e-6 * Math.Exp(b * Math.Log(1 + 2e-3));
                double[] near = { edge, Math.BitDecrement(edge), Math.BitIncrement(edge), Math.BitDecrement(Math.BitDecrement(edge)), Math.BitIncrement(Math.BitIncrement(edge)), edge * 0.9995, edge * 1.0005 };
                for (int k = near.Length - 1; k > 0; k--)
                {
                    int j = random.Next(k + 1);
                    (near[k], near[j]) = (near[j], near[k]);
                }
                foreach (double value in near)
                    Assert.That(index.Of(value), Is.EqualTo(LogarithmBucket(value, buckets)), "value " + value.ToString("R"));
            }
        }
    }
}
