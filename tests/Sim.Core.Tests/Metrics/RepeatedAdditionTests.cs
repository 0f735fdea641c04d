using System;
using NUnit.Framework;
using Sim.Core.Metrics;

namespace Sim.Core.Tests.Metrics
{
    /// <summary>RepeatedAddition against the loop it stands for: one addition at a time, each rounded.</summary>
    public class RepeatedAdditionTests
    {
        static double Loop(double sum, double value, int times)
        {
            for (int n = 0; n < times; n++) sum += value;
            return sum;
        }

        static void AssertSameBits(double sum, double value, int times)
        {
            double expected = Loop(sum, value, times);
            double actual = RepeatedAddition.Of(sum, value, times);
            Assert.That(BitConverter.DoubleToInt64Bits(actual), Is.EqualTo(BitConverter.DoubleToInt64Bits(expected)),
                $"sum {sum:R} + {times} x {value:R}: loop {expected:R}, got {actual:R}");
        }

        [Test]
        public void TokenGapsAddedToGrowingSumsRoundAsTheLoop()
        {
            var random = new Random(11);
            for (int trial = 0; trial < 20000; trial++)
            {
                // Sums from nothing to a long run's (1e-3 .. 1e7 s), gaps of 1 ms .. 10 s, batches of 1 .. 300.
                double sum = trial % 10 == 0 ? 0 : Math.Exp(random.NextDouble() * 23 - 7);
                double value = Math.Exp(random.NextDouble() * 9.2 - 6.9);
                AssertSameBits(sum, value, 1 + random.Next(300));
            }
        }

        [Test]
        public void SumsCrossingBinadesRoundAsTheLoop()
        {
            // Just below a power of two, and values as large as the sum: every crossing is an addition of its own.
            foreach (double top in new[] { 1.0, 1024.0, 65536.0, Math.Pow(2, 40) })
                foreach (double below in new[] { 1e-9, 1e-3, 0.25 })
                    foreach (double fraction in new[] { 1e-7, 0.013, 0.5, 1.0, 3.7 })
                        AssertSameBits(top * (1 - below), top * fraction, 1000);
        }

        [Test]
        public void ValuesHalfwayBetweenUlpsTieToEvenAsTheLoop()
        {
            // In [1, 2) the ulp is 2^-52: values of (k + 1/2) ulps are ties, whose result depends on the sum's parity.
            double ulp = Math.Pow(2, -52);
            foreach (int k in new[] { 0, 1, 2, 3, 7, 1000 })
                foreach (double sum in new[] { 1.0, 1.0 + ulp, 1.5, 1.5 + 3 * ulp })
                {
                    AssertSameBits(sum, (k + 0.5) * ulp, 257);
                    // A hair off the tie rounds one way throughout.
                    AssertSameBits(sum, (k + 0.5) * ulp * (1 + 1e-12), 257);
                }
        }

        [Test]
        public void TinyZeroNegativeAndOddValuesRoundAsTheLoop()
        {
            double[] sums = { 0, 5e-324, 1e-310, 1e-300, 1, -3.5, 1e308, double.MaxValue, double.PositiveInfinity, double.NaN };
            double[] values = { 0, 5e-324, 1e-310, 1e-17, 1e-16, 2.2e-16, 0.1, -0.1, 1e308, double.PositiveInfinity, double.NaN };
            foreach (double sum in sums)
                foreach (double value in values)
                    foreach (int times in new[] { 0, 1, 2, 129 })
                        AssertSameBits(sum, value, times);
        }
    }
}
