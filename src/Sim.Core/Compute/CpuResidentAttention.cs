using System;
using Sim.Core.Tokens;

namespace Sim.Core.Compute
{
    /// <summary>The CPU reference of <see cref="IResidentAttention"/>; the shader attention_step.comp follows it step for step.</summary>
    public sealed class CpuResidentAttention : IResidentAttention
    {
        const int D = AttentionModel.KeyDim;

        readonly float[] _keys, _scores, _probabilities;
        readonly float[] _query = new float[D];

        public CpuResidentAttention(int positions)
        {
            if (positions <= 0) throw new ArgumentOutOfRangeException(nameof(positions), positions, "at least one position");
            Positions = positions;
            _keys = new float[positions * D];
            _scores = new float[positions];
            _probabilities = new float[positions];
        }

        public int Positions { get; }

        public void WriteKeys(int firstPosition, ReadOnlySpan<float> keys) => keys.CopyTo(_keys.AsSpan(firstPosition * D));

        public void Step(ReadOnlySpan<SequenceQuery> sequences, Span<int> victims)
        {
            if (victims.Length < sequences.Length) throw new ArgumentException("one victim a sequence", nameof(victims));
            for (int s = 0; s < sequences.Length; s++)
            {
                SequenceQuery sequence = sequences[s];
                sequence.CheckFits(Positions);
                sequence.CopyQuery(_query);
                int first = sequence.FirstPosition, count = sequence.Count;
                Span<float> probabilities = _probabilities.AsSpan(first, count);
                CpuBackend.Instance.AttentionProbabilities(_keys.AsSpan(first * D, count * D), count, _query, sequence.RecencyDecayPerToken, probabilities);
                int victim = -1;
                for (int i = 0; i < count; i++)
                {
                    float score = (i == sequence.FreshSlot ? 0f : _scores[first + i]) + probabilities[i];
                    _scores[first + i] = score;
                    if (i != sequence.FreshSlot && (victim < 0 || score < _scores[first + victim])) victim = i;
                }
                victims[s] = victim;
            }
        }

        public void Probabilities(ReadOnlySpan<AttentionQuery> queries, Span<float> probabilities)
        {
            foreach (AttentionQuery query in queries)
            {
                query.CheckFits(Positions, probabilities.Length);
                query.CopyQuery(_query);
                CpuBackend.Instance.AttentionProbabilities(_keys.AsSpan(query.FirstPosition * D, query.Count * D), query.Count, _query,
                    query.RecencyDecayPerToken, probabilities.Slice(query.OutputOffset, query.Count));
            }
        }

        public void ReadScores(Span<float> scores) => _scores.AsSpan(0, Positions).CopyTo(scores);

        public void Dispose()
        {
        }
    }
}
