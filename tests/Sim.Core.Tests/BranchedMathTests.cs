using System;
using NUnit.Framework;

namespace Sim.Core.Tests
{
    /// <summary>BranchedMath against Math: the same bits for every pair, signed zeros, infinities and NaN included.</summary>
    public class BranchedMathTests
    {
        [Test]
        public void MinAndMaxAreMathsForEveryPair()
        {
            var values = new System.Collections.Generic.List<double>
            {
                0.0, -0.0, 1.0, -1.0, 0.1, 1e-300, 5e-324, -5e-324, double.MaxValue, double.MinValue,
                double.PositiveInfinity, double.NegativeInfinity, double.NaN, BitConverter.Int64BitsToDouble(0x7FF8000000000123),
            };
            var random = new Random(5);
            for (int i = 0; i < 200; i++) values.Add((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-20, 20)));
            foreach (double a in values)
                foreach (double b in values)
                {
                    Assert.That(BitConverter.DoubleToInt64Bits(BranchedMath.Min(a, b)), Is.EqualTo(BitConverter.DoubleToInt64Bits(Math.Min(a, b))), $"Min({a:R}, {b:R})");
                    Assert.That(BitConverter.DoubleToInt64Bits(BranchedMath.Max(a, b)), Is.EqualTo(BitConverter.DoubleToInt64Bits(Math.Max(a, b))), $"Max({a:R}, {b:R})");
                }
        }
    }
}
