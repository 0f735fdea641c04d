using System;
using System.Collections.Generic;
using NUnit.Framework;
using Sim.Core.Compute;
using Sim.Core.Tokens;

namespace Sim.Core.Tests.Tokens
{
    /// <summary>Token mode's keys mirrored in one resident column: regions, uploads counted by hand, and the attention read there.</summary>
    public class ResidentKeyColumnTests
    {
        const int D = AttentionModel.KeyDim;

        static SequenceTokens Sequence(int positions, int seed)
        {
            var sequence = new SequenceTokens(copies: 2, quantises: false);
            sequence.EnsureCapacity(positions, 1);
            var random = new Random(seed);
            for (int i = 0; i < sequence.Keys.Length; i++) sequence.Keys[i] = (float)(random.NextDouble() * 2 - 1);
            sequence.Positions = positions;
            return sequence;
        }

        [Test]
        public void OnlyNewPositionsGoUpAndRegionsFollowTheArrays()
        {
            using var column = new ResidentKeyColumn(new CpuResidentKernels());
            var sequences = new List<SequenceTokens> { Sequence(10, 1), Sequence(5, 2) };
            column.Restart(0);
            column.Restart(1);
            column.Sync(new List<int> { 0, 1 }, sequences);
            // 10 and 5 positions, two copies each; regions of 2 x 64 positions (the arrays' first capacity), in order.
            Assert.That(column.UploadedPositions, Is.EqualTo(30));
            Assert.That(new[] { column.FirstPosition(0, 0), column.FirstPosition(0, 1), column.FirstPosition(1, 0), column.FirstPosition(1, 1) },
                Is.EqualTo(new[] { 0, 64, 128, 192 }));
            // One more position of slot 0: one position a copy.
            sequences[0].Positions = 11;
            column.Sync(new List<int> { 0 }, sequences);
            Assert.That(column.UploadedPositions, Is.EqualTo(32));
            // Slot 0's arrays grow to 128 positions a copy: a new region after slot 1's, all 11 positions again.
            sequences[0].EnsureCapacity(100, 7);
            column.Sync(new List<int> { 0 }, sequences);
            Assert.That(column.UploadedPositions, Is.EqualTo(32 + 22));
            Assert.That(column.FirstPosition(0, 1), Is.EqualTo(256 + 128));
            // A new sequence in slot 1: its keys go up from position 0.
            column.Restart(1);
            column.Sync(new List<int> { 1 }, sequences);
            Assert.That(column.UploadedPositions, Is.EqualTo(54 + 10));
            CheckAttention(column, sequences, new[] { 0, 1 });
        }

        [Test]
        public void AFullColumnIsMadeAgainTwiceTheStepsSize()
        {
            using var column = new ResidentKeyColumn(new CpuResidentKernels());
            var sequences = new List<SequenceTokens> { Sequence(10, 3), Sequence(40_000, 4) };
            column.Restart(0);
            column.Restart(1);
            column.Sync(new List<int> { 0 }, sequences);
            Assert.That(column.Column.Positions, Is.EqualTo(1 << 16));
            // Slot 1 needs 2 x 40,000 positions: past the first column; the new one is twice what the step's slots need.
            column.Sync(new List<int> { 0, 1 }, sequences);
            Assert.That(column.Column.Positions, Is.EqualTo(2 * (2 * 64 + 2 * 40_000)));
            Assert.That(column.UploadedPositions, Is.EqualTo(20 + 20 + 80_000));
            CheckAttention(column, sequences, new[] { 0, 1 });
        }

        /// <summary>Each copy's last query through the column equals the per-call kernel over the sequence's own keys.</summary>
        static void CheckAttention(ResidentKeyColumn column, List<SequenceTokens> sequences, int[] slots)
        {
            var query = new float[D];
            for (int j = 0; j < D; j++) query[j] = 0.25f * (j - 3);
            foreach (int slot in slots)
                for (int copy = 0; copy < 2; copy++)
                {
                    SequenceTokens sequence = sequences[slot];
                    int count = sequence.Positions;
                    var expected = new float[count];
                    CpuBackend.Instance.AttentionProbabilities(sequence.KeysOf(copy, count), count, query, 0.01f, expected);
                    var resident = new AttentionQuery { FirstPosition = column.FirstPosition(slot, copy), Count = count, OutputOffset = 3, RecencyDecayPerToken = 0.01f };
                    resident.SetQuery(query);
                    var output = new float[count + 3];
                    column.Column.Probabilities(new[] { resident }, output);
                    Assert.That(output.AsSpan(3).ToArray(), Is.EqualTo(expected), "slot " + slot + ", copy " + copy);
                }
        }
    }
}
