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
            var usage = new KvUsage(680 + 1361);
            var random = new Random(9);
            double peak = 0;
            for (int i = 0; i < 100000; i++)
            {
                int pages = random.Next(2) == 0 ? 680 : 1361;
                int used = Math.Min(pages, (int)(peak * pages) + random.Next(-3, 3));
                used = Math.Max(0, used);
                usage.Add(used, pages, 0.01);
                peak = Math.Max(peak, (double)used / pages);
                Assert.That(usage.PeakUtilization, Is.EqualTo(peak), "add " + i);
            }
            Assert.That(peak, Is.EqualTo(1));
        }

        [Test]
        public void AShareEqualToThePeakFromAnotherSizeKeepsIt()
        {
            var usage = new KvUsage(2000);
            usage.Add(1, 3, 1);
            Assert.That(usage.PeakUtilization, Is.EqualTo(1.0 / 3));
            usage.Add(2, 6, 1);
            usage.Add(333, 1000, 1);
            Assert.That(usage.PeakUtilization, Is.EqualTo(1.0 / 3));
            usage.Add(334, 1000, 1);
            Assert.That(usage.PeakUtilization, Is.EqualTo(0.334));
        }
    }
}
