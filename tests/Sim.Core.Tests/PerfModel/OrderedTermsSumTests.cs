using System;
using NUnit.Framework;
using Sim.Core.PerfModel;

namespace Sim.Core.Tests.PerfModel
{
    /// <summary>OrderedTermsSum against the loop it stands for: the terms added to the start one at a time, in order, each rounded.</summary>
    public class OrderedTermsSumTests
    {
        static double Loop(double startS, double[] terms)
        {
            foreach (double termS in terms) startS += termS;
            return startS;
        }

        static void AssertSameBits(OrderedTermsSum sum, double startS, double[] terms)
        {
            double expected = Loop(startS, terms);
            double actual = sum.Add(startS);
            Assert.That(BitConverter.DoubleToInt64Bits(actual), Is.EqualTo(BitConverter.DoubleToInt64Bits(expected)),
                $"{startS:R} + terms: loop {expected:R}, got {actual:R}");
        }

        [Test]
        public void LayerSumsOfGrowingStartsRoundAsTheLoop()
        {
            var random = new Random(5);
            for (int trial = 0; trial < 200; trial++)
            {
                // Seven operator times of 1 µs .. 1 ms after starts of 10 µs .. 10 ms (a decode layer's), each start met many times
                // over as a lane's batches grow, across binade tops.
                var terms = new double[7];
                for (int i = 0; i < terms.Length; i++) terms[i] = Math.Pow(10, -6 + 3 * random.NextDouble());
                var sum = new OrderedTermsSum(terms);
                double startS = Math.Pow(10, -5 + 3 * random.NextDouble());
                double stepS = startS * 1e-4 * random.NextDouble();
                for (int step = 0; step < 2000; step++)
                {
                    AssertSameBits(sum, startS, terms);
                    startS += stepS;
                }
            }
        }

        [Test]
        public void StartsJustBelowABinadeTopTakeTheLoop()
        {
            // 1 - 2^-53 ·k: the sum crosses 1 (where the ulp doubles) for the larger k; the binade's increment must not be used there.
            double[] terms = { 3.0 / (1L << 53), 1.0 / (1L << 52), 5.0 / (1L << 54) };
            var sum = new OrderedTermsSum(terms);
            for (int k = 1; k < 64; k++) AssertSameBits(sum, 1 - k / (double)(1L << 53), terms);
            for (int k = 63; k >= 1; k--) AssertSameBits(sum, 1 - k / (double)(1L << 53), terms);
        }

        [Test]
        public void TermsHalfwayBetweenUlpsRoundToEvenAsTheLoop()
        {
            // In [1, 2) the ulp is 2^-52: a term of half an ulp rounds the sum to even, up or down by the start's last bit.
            double half = 1.0 / (1L << 53);
            double[] terms = { half, 3 * half, half };
            var sum = new OrderedTermsSum(terms);
            for (int k = 0; k < 40; k++) AssertSameBits(sum, 1 + k / (double)(1L << 52), terms);
        }

        [Test]
        public void ZeroNegativeAndSubnormalStartsTakeTheLoop()
        {
            double[] terms = { 1e-3, 2e-3, 0, 5e-4 };
            var sum = new OrderedTermsSum(terms);
            foreach (double startS in new[] { 0.0, -0.0, -1e-3, double.Epsilon, 1e-310, 1e-3, -1e-3, 0.0, 2e-3 })
                AssertSameBits(sum, startS, terms);
        }

        [Test]
        public void StartsOfManyBinadesKeepTheirOwnIncrements()
        {
            // Starts alternating among six binades (more than are kept) each find the loop's sum.
            double[] terms = { 1.1e-4, 2.3e-5, 7.7e-4 };
            var sum = new OrderedTermsSum(terms);
            double[] starts = { 1.3e-3, 3.1e-3, 7.0e-3, 1.5e-2, 2.9e-3, 6.1e-2 };
            for (int round = 0; round < 50; round++)
                foreach (double startS in starts) AssertSameBits(sum, startS * (1 + round * 1e-7), terms);
        }
    }
}
