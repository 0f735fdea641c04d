using System;
using System.Linq;
using NUnit.Framework;
using Sim.Core.Trace;

namespace Sim.Core.Tests.Trace
{
    public class SyntheticTraceTests
    {
        static SyntheticWorkload Workload(ArrivalProcess arrival, double cv = 1) => new SyntheticWorkload
        {
            Requests = 100000,
            Arrival = arrival,
            RatePerS = 8,
            GammaCv = cv,
            PromptTokens = new LengthDistribution { Kind = LengthKind.LogNormal, Mean = 500, Sigma = 0.5, Min = 1, Max = 100000 },
            OutputTokens = new LengthDistribution { Kind = LengthKind.Uniform, Min = 10, Max = 20 },
        };

        static (double Mean, double Cv) GapStats(SyntheticWorkload workload)
        {
            double[] arrivals = SyntheticTrace.Generate(workload, 1).Select(r => r.ArrivalS).ToArray();
            double[] gaps = arrivals.Skip(1).Select((a, i) => a - arrivals[i]).ToArray();
            double mean = gaps.Average();
            double sd = Math.Sqrt(gaps.Select(g => (g - mean) * (g - mean)).Average());
            return (mean, sd / mean);
        }

        [Test]
        public void PoissonGapsHaveMeanOneOverRateAndCvOne()
        {
            // 100,000 exponential gaps: the sample mean's relative standard error is 1/sqrt(n) = 0.3%; allow 1.5%.
            var (mean, cv) = GapStats(Workload(ArrivalProcess.Poisson));
            Assert.That(mean, Is.EqualTo(1 / 8.0).Within(0.015 / 8));
            Assert.That(cv, Is.EqualTo(1).Within(0.02));
        }

        [Test]
        public void GammaGapsHaveTheAskedCv()
        {
            var (mean, cv) = GapStats(Workload(ArrivalProcess.Gamma, cv: 2));
            Assert.That(mean, Is.EqualTo(1 / 8.0).Within(0.04 / 8));
            Assert.That(cv, Is.EqualTo(2).Within(0.08));
        }

        [Test]
        public void LengthsStayInRangeAndLogNormalHasTheAskedMean()
        {
            TraceRequest[] requests = SyntheticTrace.Generate(Workload(ArrivalProcess.Poisson), 5).ToArray();
            Assert.That(requests.All(r => r.OutputTokens >= 10 && r.OutputTokens <= 20), Is.True);
            Assert.That(requests.Select(r => r.OutputTokens).Distinct().Count(), Is.EqualTo(11));
            Assert.That(requests.Average(r => r.PromptTokens), Is.EqualTo(500).Within(5));
        }

        [Test]
        public void SameSeedSameSequenceOtherSeedOtherSequence()
        {
            SyntheticWorkload w = Workload(ArrivalProcess.Gamma, 3);
            w.Requests = 1000;
            Assert.That(SyntheticTrace.Generate(w, 9).ToArray(), Is.EqualTo(SyntheticTrace.Generate(w, 9).ToArray()));
            Assert.That(SyntheticTrace.Generate(w, 10).Select(r => r.ArrivalS).ToArray(), Is.Not.EqualTo(SyntheticTrace.Generate(w, 9).Select(r => r.ArrivalS).ToArray()));
        }

        [Test]
        public void RejectsANonPositiveRate()
        {
            SyntheticWorkload w = Workload(ArrivalProcess.Poisson);
            w.RatePerS = 0;
            Assert.Throws<SimInputException>(() => SyntheticTrace.Generate(w, 1));
        }
    }
}
