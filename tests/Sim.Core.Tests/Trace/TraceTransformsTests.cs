using System.Linq;
using NUnit.Framework;
using Sim.Core.Trace;
using static Sim.Core.Tests.Trace.TraceFixtures;

namespace Sim.Core.Tests.Trace
{
    public class TraceTransformsTests
    {
        static TraceRequest At(long id, double arrivalS) => new TraceRequest { Id = id, ArrivalS = arrivalS, PromptTokens = 1, OutputTokens = 1 };

        [Test]
        public void TimeScaleMultipliesGapsAndRequestsTakesTheFirstN()
        {
            // Vidur fixture arrivals 0, 0.25, 0.25, 1.5: the first three, gaps doubled.
            var scaled = TraceTransforms.Apply(TraceFile.Read(Fixture("vidur_4.csv"), TraceFormat.Vidur), 3, 2).ToArray();
            Assert.That(scaled.Select(r => r.ArrivalS), Is.EqualTo(new[] { 0, 0.5, 0.5 }));
            Assert.That(scaled.Select(r => r.Id), Is.EqualTo(new long[] { 0, 1, 2 }));
        }

        [Test]
        public void GapsScaleFromTheFirstArrivalWhenItIsNotZero()
        {
            // Arrivals 10, 11, 13 with X = 0.5: gaps 1 and 2 become 0.5 and 1, so 10, 10.5, 11.5.
            var source = new[] { At(0, 10), At(1, 11), At(2, 13) };
            Assert.That(TraceTransforms.Apply(source, null, 0.5).Select(r => r.ArrivalS), Is.EqualTo(new[] { 10, 10.5, 11.5 }));
            Assert.That(TraceTransforms.Apply(source, 10, 1).Select(r => r.ArrivalS), Is.EqualTo(new double[] { 10, 11, 13 }));
        }

        [Test]
        public void WithNeitherFlagTheSourceItselfIsRead()
        {
            // Nothing to take or scale: no enumerator is put between the source and its reader (one a request otherwise).
            var source = new[] { At(0, 10), At(1, 11), At(2, 13) };
            Assert.That(TraceTransforms.Apply(source, null, 1), Is.SameAs(source));
            Assert.That(TraceTransforms.Apply(source, 3, 1), Is.Not.SameAs(source));
            Assert.That(TraceTransforms.Apply(source, null, 2), Is.Not.SameAs(source));
        }

        [Test]
        public void TakingNDoesNotReadPastTheNthRequest()
        {
            int pulled = 0;
            System.Collections.Generic.IEnumerable<TraceRequest> Counting()
            {
                for (long i = 0; ; i++)
                {
                    pulled++;
                    yield return At(i, i);
                }
            }
            Assert.That(TraceTransforms.Apply(Counting(), 3, 1).Count(), Is.EqualTo(3));
            Assert.That(pulled, Is.EqualTo(3));
        }

        [TestCase(0.0)]
        [TestCase(-1.0)]
        [TestCase(double.NaN)]
        [TestCase(double.PositiveInfinity)]
        public void BadTimeScaleIsAFlagError(double x)
        {
            var e = Assert.Throws<SimInputException>(() => TraceTransforms.Apply(new[] { At(0, 0) }, null, x));
            Assert.That((e!.File, e.Line, e.Field), Is.EqualTo(("<flag>", 0, "--time-scale")));
        }

        [Test]
        public void BadRequestCountIsAFlagError()
        {
            var e = Assert.Throws<SimInputException>(() => TraceTransforms.Apply(new[] { At(0, 0) }, 0, 1));
            Assert.That((e!.File, e.Field), Is.EqualTo(("<flag>", "--requests")));
        }
    }
}
