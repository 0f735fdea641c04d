using System;
using System.Linq;
using NUnit.Framework;
using Sim.Core.Compute;
using Sim.Tests.Shared;

namespace Sim.Core.Tests.Compute
{
    /// <summary>
    /// The attention reference flushes subnormals wherever one can arise, so it computes what a device that flushes them in
    /// hardware computes, and (tested on lavapipe in Sim.Vulkan.Tests) what a device that keeps them computes.
    /// </summary>
    public class SubnormalFlushTests
    {
        static bool IsSubnormal(float x) => x != 0 && Math.Abs(x) < Softmax.MinNormal;

        [Test]
        public void TheCraftedCaseReallyMakesSubnormalsWhenNothingFlushes()
        {
            var (keys, query, count) = SubnormalAttention.Case();
            float[] unguarded = SubnormalAttention.Unguarded(keys, query, count);
            Assert.That(unguarded.Count(IsSubnormal), Is.GreaterThanOrEqualTo(1), "e^-86.9 / sum stays subnormal when kept");
        }

        [TestCase(0f)]
        [TestCase(0.001f)]
        public void TheReferenceEqualsAFlushingDeviceBitForBit(float decay)
        {
            var (keys, query, count) = SubnormalAttention.Case();
            var cpu = new float[count];
            CpuBackend.Instance.AttentionProbabilities(keys, count, query, decay, cpu);
            Assert.That(cpu, Is.EqualTo(SubnormalAttention.OnAFlushingDevice(keys, query, count, decay)));
            Assert.That(cpu.Any(IsSubnormal), Is.False);
            Assert.That(cpu[3], Is.EqualTo(0f), "the subnormal probability is flushed");
        }

        [Test]
        public void RandomSequencesEqualAFlushingDeviceToo()
        {
            var random = new Random(7);
            for (int trial = 0; trial < 200; trial++)
            {
                int count = random.Next(1, 300);
                var keys = new float[count * 8];
                // Logits spread over about +-100 so some probabilities fall near and below the smallest normal float.
                for (int i = 0; i < keys.Length; i++) keys[i] = (float)((random.NextDouble() * 2 - 1) * 12);
                var query = new float[8];
                for (int j = 0; j < 8; j++) query[j] = (float)(random.NextDouble() * 2 - 1);
                float decay = (float)(random.NextDouble() * 0.5);
                var cpu = new float[count];
                CpuBackend.Instance.AttentionProbabilities(keys, count, query, decay, cpu);
                Assert.That(cpu, Is.EqualTo(SubnormalAttention.OnAFlushingDevice(keys, query, count, decay)), "trial " + trial);
            }
        }
    }
}
