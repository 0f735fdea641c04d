using System;
using NUnit.Framework;
using Sim.Core.Compute;

namespace Sim.Core.Tests.Tokens
{
    public class SoftmaxTests
    {
        [Test]
        public void ExpIsWithinAFewUlpsOfTheLibrarysDownTo87()
        {
            for (float x = 0; x >= -87; x -= 0.0137f)
            {
                double exact = Math.Exp(x);
                Assert.That(Softmax.Exp(x), Is.EqualTo(exact).Within(4e-7 * exact), "x = " + x);
            }
            Assert.That(Softmax.Exp(-88), Is.EqualTo(0));
            Assert.That(Softmax.Exp(0), Is.EqualTo(1));
        }

        [Test]
        public void AttentionSumsToOneAndFollowsTheLogits()
        {
            var keys = new float[5 * 8];
            for (int i = 0; i < 5; i++) keys[i * 8] = i; // logit i = i along the first axis, no recency
            var query = new float[8];
            query[0] = 1;
            var p = new float[5];
            CpuBackend.Instance.AttentionProbabilities(keys, 5, query, 0, p);
            double total = 0;
            for (int i = 0; i < 5; i++) total += p[i];
            Assert.That(total, Is.EqualTo(1).Within(1e-6));
            double z = 0;
            for (int i = 0; i < 5; i++) z += Math.Exp(i - 4);
            for (int i = 0; i < 5; i++) Assert.That(p[i], Is.EqualTo(Math.Exp(i - 4) / z).Within(1e-6));
        }
    }
}
