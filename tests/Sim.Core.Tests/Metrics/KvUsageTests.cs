using System;
using NUnit.Framework;
using Sim.Core.Metrics;

namespace Sim.Core.Tests.Metrics
{
    public class KvUsageTests
    {
        [Test]
        public void PeakIsTheLargestShareAsEachShareDividedOut()
        {
            // Replicas of 680 and 1,361 pages, used pages a few either side of the peak's share, against the largest share
            // worked out here with a division every time; the walk climbs to a full replica.
            var usage = new KvUsage(680 + 1361, 2);
            var random = new Random(9);
            double peak = 0;
            for (int i = 0; i < 100000; i++)
            {
                int pages = random.Next(2) == 0 ? 680 : 1361;
                int used = Math.Min(pages, (int)(peak * pages) + random.Next(-3, 3));
                used = Math.Max(0, used);
                usage.Add(pages == 680 ? 0 : 1, used, pages, 0.01);
                peak = Math.Max(peak, (double)used / pages);
                Assert.That(usage.PeakUtilization, Is.EqualTo(peak), "add " + i);
            }
            Assert.That(peak, Is.EqualTo(1));
        }

        [Test]
        public void AShareEqualToThePeakFromAnotherSizeKeepsIt()
        {
            var usage = new KvUsage(2000, 1);
            usage.Add(0, 1, 3, 1);
            Assert.That(usage.PeakUtilization, Is.EqualTo(1.0 / 3));
            usage.Add(0, 2, 6, 1);
            usage.Add(0, 333, 1000, 1);
            Assert.That(usage.PeakUtilization, Is.EqualTo(1.0 / 3));
            usage.Add(0, 334, 1000, 1);
            Assert.That(usage.PeakUtilization, Is.EqualTo(0.334));
        }

        [Test]
        public void EachReplicasPageSecondsAddUpApartThenInReplicaOrder()
        {
            // Replica 0 holds a page for 2^53 s, replica 1 one for 1 s twice: added in the order they come, each 1 is lost to
            // rounding (2^53 + 1 rounds to 2^53); each replica's sum apart, then the two, keep them: 2^53 + 2, exact.
            const double Long = 9007199254740992; // 2^53
            var usage = new KvUsage(1, 2);
            usage.Add(0, 1, 1, Long);
            usage.Add(1, 1, 1, 1);
            usage.Add(1, 1, 1, 1);
            Assert.That(usage.MeanUtilization(1), Is.EqualTo(Long + 2));
            // A partition's replica taken in at its place gives the same sums.
            var part = new KvUsage(1, 1);
            part.Add(0, 1, 1, 1);
            part.Add(0, 1, 1, 1);
            var gathered = new KvUsage(1, 2);
            gathered.Add(0, 1, 1, Long);
            gathered.Absorb(part, 1);
            Assert.That(gathered.MeanUtilization(1), Is.EqualTo(Long + 2));
            Assert.That(gathered.PeakUtilization, Is.EqualTo(1));
        }
    }
}
