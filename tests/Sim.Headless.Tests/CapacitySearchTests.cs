using System;
using System.Collections.Generic;
using NUnit.Framework;
using Sim.Core.Metrics;
using Sim.Headless.Studies;

namespace Sim.Headless.Tests
{
    /// <summary>The search run ahead in parallel tries the same loads in the same order, with the same answer, as one at a time.</summary>
    public class CapacitySearchTests
    {
        /// <summary>A load whose TTFT p99 is 1 s at time scale <paramref name="edge"/> and grows as the scale shrinks.</summary>
        static RunSummary At(double scale, double edge) => new RunSummary { TtftS = new Distribution { P99 = edge / scale } };

        [TestCase(0.3)]
        [TestCase(1.0)]
        [TestCase(7.77)]
        [TestCase(1e-12)]
        [TestCase(1e12)]
        public void ParallelSearchesMatchTheSequentialOne(double edge)
        {
            IReadOnlyList<SloTarget> slo = SloTarget.ParseList("ttft_p99=1");
            var tried = new List<double>();
            CapacityResult sequential = CapacitySearch.Run(s => { tried.Add(s); return At(s, edge); }, slo, 0.02, parallel: 1);
            // Worked by hand: scale 1, then halving (edge < 1) or doubling to bracket, then geometric midpoints.
            Assert.That(tried[0], Is.EqualTo(1));
            Assert.That(tried.Count, Is.EqualTo(sequential.Runs));
            double heaviest = Math.Pow(2, -30), lightest = Math.Pow(2, 30);
            if (edge > lightest) Assert.That(sequential.Met, Is.False, "2^30 is the lightest load tried");
            else if (edge < heaviest) Assert.That((sequential.Met, sequential.Scale, sequential.FailingScale), Is.EqualTo((true, heaviest, double.NaN)), "2^-30 is the heaviest load tried");
            else
            {
                Assert.That(sequential.Met, Is.True);
                Assert.That(sequential.Scale, Is.GreaterThanOrEqualTo(edge).And.LessThanOrEqualTo(edge * 1.02));
            }
            foreach (int parallel in new[] { 2, 3, 5, 8 })
            {
                var evaluated = new List<double>();
                CapacityResult ahead = CapacitySearch.Run(s => { lock (evaluated) evaluated.Add(s); return At(s, edge); }, slo, 0.02, parallel);
                Assert.That((ahead.Met, ahead.Scale, ahead.FailingScale, ahead.Runs), Is.EqualTo((sequential.Met, sequential.Scale, sequential.FailingScale, sequential.Runs)), "parallel " + parallel);
                Assert.That(evaluated, Is.SupersetOf(tried), "parallel " + parallel);
            }
        }

        [Test]
        public void ARunsExceptionComesOutUnwrapped()
        {
            IReadOnlyList<SloTarget> slo = SloTarget.ParseList("ttft_p99=1");
            Assert.Throws<Sim.Core.SimInputException>(() =>
                CapacitySearch.Run(s => throw new Sim.Core.SimInputException("t.csv", 3, "f", "bad"), slo, 0.02, parallel: 3));
        }
    }
}
