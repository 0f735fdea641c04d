using System;
using System.Diagnostics;
using Sim.Core.Compute;
using Sim.Core.Tokens;

namespace Sim.Bench
{
    /// <summary>
    /// Token mode at scale: every sequence of every replica decodes one token a step at a fixed budget, H2O-style (its
    /// attention credited to the resident tokens, the lowest-credited evicted and its slot given to the new token).
    /// A step writes one key a sequence and reads back one victim a sequence.
    /// </summary>
    sealed class ScaleTokenScene : ScaleScene
    {
        const int D = AttentionModel.KeyDim;
        static readonly float[] RecencyDecay = new AttentionModel().RecencyDecayPerToken;

        readonly int _replicas, _sequencesPerReplica, _positionsPerSequence;

        public ScaleTokenScene(int replicas, int sequencesPerReplica, int positionsPerSequence)
        {
            _replicas = replicas;
            _sequencesPerReplica = sequencesPerReplica;
            _positionsPerSequence = positionsPerSequence;
        }

        int Sequences => _replicas * _sequencesPerReplica;

        int Positions => Sequences * _positionsPerSequence;

        public override string Name => "tokens";

        public override string Size => Positions.ToString("N0") + " resident tokens: " + _replicas + " replicas x " + _sequencesPerReplica + " sequences x " + _positionsPerSequence;

        public override long CrossoverElements => Positions;

        public override int CrossoverOf(KernelCrossover crossover) => crossover.AttentionPositions;

        public override string Kernel => "attention";

        public override ScaleResult Run(IResidentKernels kernels, int steps)
        {
            using IResidentAttention attention = kernels.Attention(Positions);
            var keys = new float[Positions * D];
            for (int p = 0; p < Positions; p++)
                for (int j = 0; j < D; j++) keys[p * D + j] = 2 * Draw(1, (ulong)p, (ulong)j);
            var sequences = new SequenceQuery[Sequences];
            var victims = new int[Sequences];
            var freshKeys = new float[Sequences * D];
            var checksum = new Checksum();
            var clock = new Stopwatch();
            var times = new StepTimes();
            for (int step = 0; step < steps; step++)
            {
                for (int s = 0; s < Sequences; s++)
                {
                    int fresh = step == 0 ? _positionsPerSequence - 1 : victims[s];
                    ulong id = ((ulong)s << 20) | (uint)step;
                    sequences[s] = new SequenceQuery
                    {
                        FirstPosition = s * _positionsPerSequence, Count = _positionsPerSequence, FreshSlot = fresh,
                        RecencyDecayPerToken = RecencyDecay[s % RecencyDecay.Length],
                        Q0 = Draw(2, id, 0), Q1 = Draw(2, id, 1), Q2 = Draw(2, id, 2), Q3 = Draw(2, id, 3),
                        Q4 = Draw(2, id, 4), Q5 = Draw(2, id, 5), Q6 = Draw(2, id, 6), Q7 = Draw(2, id, 7),
                    };
                    for (int j = 0; j < D; j++) freshKeys[s * D + j] = 2 * Draw(3, id, (ulong)j);
                }
                clock.Restart();
                if (step == 0) attention.WriteKeys(0, keys);
                for (int s = 0; s < Sequences; s++)
                    attention.WriteKeys(sequences[s].FirstPosition + sequences[s].FreshSlot, freshKeys.AsSpan(s * D, D));
                attention.Step(sequences, victims);
                times.Add(clock);
                checksum.Add(victims);
            }
            var scores = new float[Positions];
            attention.ReadScores(scores);
            checksum.Add(scores);
            return times.Result(checksum);
        }
    }
}
