using System;
using NUnit.Framework;
using Sim.Core.Compute;
using Sim.Core.Kv;

namespace Sim.Core.Tests.Compute
{
    /// <summary>The CPU resident kernels on cases worked out by hand.</summary>
    public class ResidentKernelsTests
    {
        static SequenceQuery Sequence(int first, int count, int fresh, float decay) =>
            new SequenceQuery { FirstPosition = first, Count = count, FreshSlot = fresh, RecencyDecayPerToken = decay };

        [Test]
        public void AttentionAccumulatesAndEvictsTheLowestScoreButTheFreshToken()
        {
            using var attention = new CpuResidentAttention(3);
            // Zero keys: logit i is -ln2 x (2 - i), so the probabilities are 1/7, 2/7, 4/7.
            var victims = new int[1];
            attention.Step(new[] { Sequence(0, 3, fresh: 2, decay: (float)Math.Log(2)) }, victims);
            var scores = new float[3];
            attention.ReadScores(scores);
            Assert.That(scores, Is.EqualTo(new[] { 1 / 7f, 2 / 7f, 4 / 7f }).Within(1e-6f));
            Assert.That(victims[0], Is.EqualTo(0));
            // Slot 0 holds a new token: its score restarts at 1/7; slots 1 and 2 reach 4/7 and 8/7; slot 0 is protected.
            attention.Step(new[] { Sequence(0, 3, fresh: 0, decay: (float)Math.Log(2)) }, victims);
            attention.ReadScores(scores);
            Assert.That(scores, Is.EqualTo(new[] { 1 / 7f, 4 / 7f, 8 / 7f }).Within(1e-6f));
            Assert.That(victims[0], Is.EqualTo(1));
        }

        [Test]
        public void EqualScoresEvictTheLowerSlotAndSequencesStayApart()
        {
            using var attention = new CpuResidentAttention(10);
            // No decay and zero keys: every position of a sequence gets 1 / count.
            var victims = new int[2];
            attention.Step(new[] { Sequence(0, 4, fresh: 0, decay: 0), Sequence(6, 2, fresh: 1, decay: 0) }, victims);
            Assert.That(victims, Is.EqualTo(new[] { 1, 0 }));
            var scores = new float[10];
            attention.ReadScores(scores);
            Assert.That(scores, Is.EqualTo(new[] { 0.25f, 0.25f, 0.25f, 0.25f, 0, 0, 0.5f, 0.5f, 0, 0 }).Within(1e-6f));
        }

        [Test]
        public void DoubleSelectionOrdersByTheFullDoubleThenIndex()
        {
            var lowest = new int[4];
            CpuBackend.Instance.SelectLowest(new[] { 3.0, -0.0, 0.0, 1e300, -5, 0.0 }, lowest);
            Assert.That(lowest, Is.EqualTo(new[] { 4, 1, 2, 5 }), "-0 equals +0: ties by index");
            var one = new int[1];
            // Equal as floats, not as doubles.
            CpuBackend.Instance.SelectLowest(new[] { 1.0000000001, 1.0 }, one);
            Assert.That(one[0], Is.EqualTo(1));
        }

        [Test]
        public void BlocksSelectTheLeastRecentlyUsedTiesInEntryOrder()
        {
            using var blocks = new CpuResidentBlocks(5, EvictionPolicy.Lru);
            double[] lastAccessS = { 5, 1, 3, 1 };
            // Block 3 entered before block 1: of the two last used at 1 s, it goes first. Block 4 is never evictable.
            uint[] entryOrder = { 0, 7, 2, 4 };
            for (int b = 0; b < 4; b++) blocks.Write(b, new BlockUsage { LastAccessS = lastAccessS[b] }, entryOrder[b], 0);
            Assert.That(blocks.Evictable, Is.EqualTo(4));
            var lowest = new int[2];
            var scores = new double[2];
            blocks.Step(lowest, scores);
            Assert.That(lowest, Is.EqualTo(new[] { 3, 1 }));
            Assert.That(scores, Is.EqualTo(new[] { 1.0, 1.0 }), "an LRU score is the last use");
            blocks.Write(3, new BlockUsage { LastAccessS = 9 }, 8, 0);
            blocks.Step(lowest, default);
            Assert.That(lowest, Is.EqualTo(new[] { 1, 2 }));
            blocks.Remove(1);
            blocks.Remove(1);
            Assert.That(blocks.Evictable, Is.EqualTo(3), "removed once");
            var all = new int[3];
            var allScores = new double[3];
            blocks.Step(all, allScores);
            Assert.That(all, Is.EqualTo(new[] { 2, 0, 3 }));
            Assert.That(allScores, Is.EqualTo(new[] { 3.0, 5.0, 9.0 }));
            Assert.Throws<System.ArgumentException>(() => blocks.Step(new int[4], default), "only three are evictable");
            Assert.Throws<System.ArgumentException>(() => blocks.Step(all, new double[2]), "a score for each victim or none");
        }

        [Test]
        public void SizeAwareBlocksKeepTheInflationTheyEnteredWith()
        {
            // Two accesses over a chain of two blocks: 1 above the inflation. Block 0 entered first, when the inflation was
            // 3 (score 4); block 1 after an eviction reset it to 2.5 (score 3.5); block 2 at 3 again (score 4, after block 0).
            using var blocks = new CpuResidentBlocks(3, EvictionPolicy.SizeAware);
            var usage = new BlockUsage { AccessCount = 2, ChainBlocks = 2 };
            blocks.Write(0, usage, 0, 3);
            blocks.Write(1, usage, 1, 2.5);
            blocks.Write(2, usage, 2, 3);
            var lowest = new int[3];
            var scores = new double[3];
            blocks.Step(lowest, scores);
            Assert.That(lowest, Is.EqualTo(new[] { 1, 0, 2 }));
            Assert.That(scores, Is.EqualTo(new[] { 3.5, 4.0, 4.0 }), "each with the inflation it entered with");
        }

        [Test]
        public void GateLoadsAreEachStepsOwnAndEachSegmentsOwn()
        {
            using var gate = new CpuResidentGate(maxTokens: 3, maxSegments: 2, experts: 3, topK: 1);
            var loads = new int[6];
            // Tokens 0 and 2 in segment 1, token 1 in segment 0: their picks (1, 0, 1) count in their own segment's row.
            gate.Step(new float[] { 0, 1, 0, 5, 0, 0, 0, 3, 1 }, new[] { 1, 0, 1 }, 3, 2, loads, default);
            Assert.That(loads, Is.EqualTo(new[] { 1, 0, 0, 0, 2, 0 }));
            var chosen = new int[1];
            gate.Step(new float[] { 0, 0, 2 }, new[] { 0 }, 1, 1, loads, chosen);
            Assert.That(loads.AsSpan(0, 3).ToArray(), Is.EqualTo(new[] { 0, 0, 1 }), "overwritten, not added to");
            Assert.That(chosen[0], Is.EqualTo(2), "the choices come back with the step when asked for");
            Assert.That(() => gate.Step(new float[3], new[] { 1 }, 1, 1, loads, default), Throws.InstanceOf<ArgumentOutOfRangeException>(),
                "a token's segment past the step's");
        }
    }
}
