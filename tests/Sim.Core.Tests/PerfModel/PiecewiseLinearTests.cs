using System;
using System.Linq;
using CsCheck;
using NUnit.Framework;
using Sim.Core.PerfModel;

namespace Sim.Core.Tests.PerfModel
{
    public class PiecewiseLinearTests
    {
        static readonly PiecewiseLinear Curve = new PiecewiseLinear(new[] { (16.0, 0.5), (1.0, 0.2), (64.0, 0.9), (128.0, 2.5) });

        [Test]
        public void StableOrderIsLinqsOrderByKeyTiesInTableOrder()
        {
            // Few distinct keys, so long runs of ties; signed zeros compare equal and NaN comes first, as in OrderBy.
            Gen.Int[0, 400].SelectMany(n => Gen.OneOfConst(0.0, -0.0, 1.5, 16, 1024, 7, -3, double.NaN).Array[n])
                .Sample(keys => Assert.That(PiecewiseLinear.StableOrder(keys), Is.EqualTo(Enumerable.Range(0, keys.Length).OrderBy(i => keys[i]).ToArray())),
                    iter: 300, threads: 1);
        }

        [Test]
        public void LocateFromAHintFindsWhatASearchFinds()
        {
            // Probes that mostly creep up (a decode batch's mean context) with jumps either way, on, between and outside the points.
            Gen.Select(Gen.Int[1, 30].SelectMany(n => Gen.Int[0, 5000].Array[n]), Gen.Double[-20, 60].Array[1, 200])
                .Sample((points, steps) =>
                {
                    double[] xs = points.Distinct().OrderBy(x => x).Select(x => (double)x).ToArray();
                    int hint = 0;
                    double probe = xs[0] - 5;
                    foreach (double step in steps)
                    {
                        probe = step > 50 ? xs[(int)step % xs.Length] : step < -15 ? probe - 1000 * step : probe + step;
                        PiecewiseLinear.Segment hinted = PiecewiseLinear.Locate(xs, probe, ref hint), searched = PiecewiseLinear.Locate(xs, probe);
                        Assert.That((hinted.Lo, hinted.Hi, hinted.Share), Is.EqualTo((searched.Lo, searched.Hi, searched.Share)), "x = " + probe);
                    }
                }, iter: 300, threads: 1);
        }

        [Test]
        public void LocateFindsTheNeighboursALinearScanFinds()
        {
            // On, between and outside the points of tables of every size, signed zeros among them: the last point not above
            // the probe and the first not below it (one point where the probe hits it exactly).
            Gen.Select(Gen.Int[1, 40].SelectMany(n => Gen.Int[-50, 50].Array[n]), Gen.Double[-60, 60].Array[1, 50], Gen.Bool)
                .Sample((points, probes, negativeZero) =>
                {
                    double[] xs = points.Distinct().OrderBy(x => x).Select(x => x == 0 && negativeZero ? -0.0 : x).ToArray();
                    foreach (double probe in probes.Concat(xs).Append(0.0).Append(-0.0))
                    {
                        PiecewiseLinear.Segment segment = PiecewiseLinear.Locate(xs, probe);
                        int n = xs.Length;
                        (int Lo, int Hi) expected = n == 1 || probe <= xs[0] ? (0, 0)
                            : probe >= xs[n - 1] ? (n - 2, n - 1)
                            : Array.IndexOf(xs, probe) is int hit && hit >= 0 ? (hit, hit)
                            : (Array.FindLastIndex(xs, x => x < probe), Array.FindIndex(xs, x => x > probe));
                        Assert.That((segment.Lo, segment.Hi), Is.EqualTo(expected), "x = " + probe + " in " + string.Join(", ", xs));
                        if (expected.Lo != expected.Hi && probe < xs[n - 1])
                            Assert.That(segment.Share, Is.EqualTo((probe - xs[expected.Lo]) / (xs[expected.Hi] - xs[expected.Lo])));
                    }
                }, iter: 300, threads: 1);
        }

        [TestCase(1, 0.2)]
        [TestCase(16, 0.5)]
        [TestCase(64, 0.9)]
        [TestCase(128, 2.5)]
        public void ExactAtTablePoints(double x, double y) => Assert.That(Curve.At(x), Is.EqualTo(y));

        [Test]
        public void StraightLinesBetweenPointsWorkedByHand()
        {
            // 40 is half-way from 16 to 64: (0.5 + 0.9) / 2; 96 is half-way from 64 to 128: (0.9 + 2.5) / 2.
            Assert.That(Curve.At(40), Is.EqualTo(0.7).Within(1e-12));
            Assert.That(Curve.At(96), Is.EqualTo(1.7).Within(1e-12));
        }

        [Test]
        public void PastTheLastPointTheLastSlopeBelowTheFirstTheFirstValue()
        {
            // Slope of the last segment: (2.5 - 0.9) / 64 = 0.025 per unit; 64 units on: 2.5 + 1.6.
            Assert.That(Curve.At(192), Is.EqualTo(4.1).Within(1e-12));
            Assert.That(Curve.At(0.5), Is.EqualTo(0.2));
            var falling = new PiecewiseLinear(new[] { (1.0, 3.0), (2.0, 2.0) });
            Assert.That(falling.At(10), Is.EqualTo(2.0), "a falling last segment is not extended downwards");
        }

        [Test]
        public void RepeatedPointsAreAveraged()
        {
            var curve = new PiecewiseLinear(new[] { (8.0, 1.0), (8.0, 2.0), (16.0, 4.0) });
            Assert.That(curve.At(8), Is.EqualTo(1.5));
            Assert.That(curve.Xs, Is.EqualTo(new[] { 8.0, 16.0 }));
        }

        [Test]
        public void MonotoneBetweenNeighbouringPoints()
        {
            Gen.Select(Gen.Double[0, 100].Array[2, 20], Gen.Double[0, 1]).Sample((ys, t) =>
            {
                var curve = new PiecewiseLinear(ys.Select((y, i) => ((double)(i * i + i), y)));
                for (int i = 0; i + 1 < ys.Length; i++)
                {
                    double x0 = i * i + i, x1 = (i + 1) * (i + 1) + i + 1, x = x0 + t * (x1 - x0);
                    double y = curve.At(x);
                    Assert.That(y, Is.InRange(Math.Min(ys[i], ys[i + 1]) - 1e-9, Math.Max(ys[i], ys[i + 1]) + 1e-9));
                    Assert.That(curve.At(x0 + Math.Min(1, t + 0.1) * (x1 - x0)) - y, ys[i + 1] >= ys[i] ? Is.GreaterThanOrEqualTo(-1e-9) : Is.LessThanOrEqualTo(1e-9));
                }
            });
        }

        [Test]
        public void SurfaceIsExactAtPointsAndBlendsBetweenLevels()
        {
            // Level y=0: z = x; level y=100: z = 2x + 10, measured only at x = 1 and 3 (not a full grid).
            var surface = new PiecewiseLinearSurface(new[]
            {
                (1.0, 0.0, 1.0), (2.0, 0.0, 2.0), (4.0, 0.0, 4.0),
                (1.0, 100.0, 12.0), (3.0, 100.0, 16.0),
            });
            Assert.That(surface.At(2, 0), Is.EqualTo(2.0));
            Assert.That(surface.At(3, 100), Is.EqualTo(16.0));
            // x = 2, y = 25: level 0 gives 2, level 100 gives 14 (half-way from 12 to 16); a quarter of the way: 5.
            Assert.That(surface.At(2, 25), Is.EqualTo(5.0).Within(1e-12));
        }
    }
}
