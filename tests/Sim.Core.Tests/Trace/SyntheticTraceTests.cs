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
        public void EachConcernDrawsFromItsOwnStream()
        {
            // Changing the output distribution leaves arrivals and prompt lengths exactly as they were.
            SyntheticWorkload a = Workload(ArrivalProcess.Gamma, 2), b = Workload(ArrivalProcess.Gamma, 2);
            a.Requests = b.Requests = 500;
            b.OutputTokens = new LengthDistribution { Kind = LengthKind.LogNormal, Mean = 100, Sigma = 2 };
            TraceRequest[] x = SyntheticTrace.Generate(a, 3).ToArray(), y = SyntheticTrace.Generate(b, 3).ToArray();
            Assert.That(y.Select(r => r.ArrivalS), Is.EqualTo(x.Select(r => r.ArrivalS)));
            Assert.That(y.Select(r => r.PromptTokens), Is.EqualTo(x.Select(r => r.PromptTokens)));
            Assert.That(y.Select(r => r.OutputTokens), Is.Not.EqualTo(x.Select(r => r.OutputTokens)));
            Assert.That(x[0].ArrivalS, Is.EqualTo(0));
            Assert.That(x.Select(r => r.Id), Is.EqualTo(Enumerable.Range(0, 500).Select(i => (long)i)));
        }

        [Test]
        public void LogNormalLengthsAreTheFormulaOverThePromptStreamsNormals()
        {
            // A second implementation: each prompt is round(exp(ln(mean) - sigma^2 / 2 + sigma z)) clamped to [min, max], z the
            // prompt stream's next normal, worked out from the expression every draw; the stream must give the same integers.
            SyntheticWorkload w = Workload(ArrivalProcess.Poisson);
            w.Requests = 20000;
            w.PromptTokens = new LengthDistribution { Kind = LengthKind.LogNormal, Mean = 700, Sigma = 1.3, Min = 40, Max = 3000 };
            TraceRequest[] requests = SyntheticTrace.Generate(w, 11).ToArray();
            DeterministicRng prompts = DeterministicRng.ForStream(11, "prompt_tokens");
            int[] expected = new int[requests.Length];
            for (int i = 0; i < expected.Length; i++)
            {
                double value = Math.Exp(Math.Log(700.0) - 1.3 * 1.3 / 2 + 1.3 * prompts.NextNormal());
                expected[i] = (int)Math.Max(40, Math.Min(3000, Math.Round(value)));
            }
            Assert.That(requests.Select(r => r.PromptTokens), Is.EqualTo(expected));
            // Both clamps are reached with these settings, so the bounds are exercised too.
            Assert.That(expected.Min(), Is.EqualTo(40));
            Assert.That(expected.Max(), Is.EqualTo(3000));
        }

        [Test]
        public void TheStreamKeepsTheLengthSettingsItWasMadeWith()
        {
            // The settings validated are the settings drawn from: a change to the workload after Generate is not seen.
            SyntheticWorkload w = Workload(ArrivalProcess.Poisson);
            w.Requests = 200;
            TraceRequest[] before = SyntheticTrace.Generate(w, 4).ToArray();
            var stream = SyntheticTrace.Generate(w, 4);
            w.PromptTokens.Mean = 5;
            w.OutputTokens.Max = 11;
            Assert.That(stream.ToArray(), Is.EqualTo(before));
        }

        [Test]
        public void AMillionRequestsStreamWithoutBeingHeld()
        {
            // Held in memory, a million requests would take about 40 MB (40-byte structs); streaming keeps the
            // live heap flat, measured after a full collection halfway through and at the end.
            SyntheticWorkload w = Workload(ArrivalProcess.Poisson);
            w.Requests = 1000000;
            long before = GC.GetTotalMemory(true), halfway = 0, count = 0, lastId = -1;
            double lastS = -1;
            bool inOrder = true;
            foreach (TraceRequest r in SyntheticTrace.Generate(w, 1))
            {
                if (++count == 500000) halfway = GC.GetTotalMemory(true);
                inOrder &= r.ArrivalS >= lastS && r.Id == lastId + 1;
                lastS = r.ArrivalS;
                lastId = r.Id;
            }
            Assert.That(inOrder, Is.True);
            Assert.That(count, Is.EqualTo(1000000));
            Assert.That(halfway - before, Is.LessThan(1 << 20));
            // The last arrival is near 999,999 gaps of mean 1/8 s: 125,000 s, sd 125 s.
            Assert.That(lastS, Is.EqualTo(125000).Within(1000));
        }

        static SyntheticWorkload With(System.Action<SyntheticWorkload> change)
        {
            SyntheticWorkload w = Workload(ArrivalProcess.Gamma, 2);
            change(w);
            return w;
        }

        static readonly object[] BadWorkloads =
        {
            new object[] { With(w => w.RatePerS = 0), "workload.synthetic.rate_per_s" },
            new object[] { With(w => w.RatePerS = double.PositiveInfinity), "workload.synthetic.rate_per_s" },
            new object[] { With(w => w.Requests = 0), "workload.synthetic.requests" },
            new object[] { With(w => w.GammaCv = 0), "workload.synthetic.gamma_cv" },
            new object[] { With(w => w.GammaCv = double.NaN), "workload.synthetic.gamma_cv" },
            new object[] { With(w => w.PromptTokens.Mean = 0), "workload.synthetic.prompt_tokens.mean" },
            new object[] { With(w => w.PromptTokens.Sigma = -1), "workload.synthetic.prompt_tokens.sigma" },
            new object[] { With(w => w.OutputTokens.Min = 0), "workload.synthetic.output_tokens.min" },
            new object[] { With(w => w.OutputTokens.Max = 5), "workload.synthetic.output_tokens.max" },
            new object[] { With(w => w.OutputTokens = new LengthDistribution { Kind = LengthKind.Fixed }), "workload.synthetic.output_tokens.value" },
        };

        [TestCaseSource(nameof(BadWorkloads))]
        public void RejectsSettingsThatCannotBeSampled(SyntheticWorkload workload, string field)
        {
            var e = Assert.Throws<SimInputException>(() => SyntheticTrace.Generate(workload, 1));
            Assert.That((e!.File, e.Field), Is.EqualTo(("<scene>", field)));
        }

        [Test]
        public void PoissonIgnoresGammaCv()
        {
            SyntheticWorkload w = Workload(ArrivalProcess.Poisson, cv: 0);
            w.Requests = 3;
            Assert.That(SyntheticTrace.Generate(w, 1).Count(), Is.EqualTo(3));
        }
    }
}
