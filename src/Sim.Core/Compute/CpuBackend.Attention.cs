using System;
using Sim.Core.Tokens;

namespace Sim.Core.Compute
{
    public sealed partial class CpuBackend
    {
        public void AttentionProbabilities(ReadOnlySpan<float> keys, int count, ReadOnlySpan<float> query, float recencyDecayPerToken, Span<float> probabilities)
        {
            const int d = AttentionModel.KeyDim;
            if (keys.Length < count * d || query.Length < d || probabilities.Length < count)
                throw new ArgumentException("keys need count x " + d + " floats, the query " + d + ", probabilities count");
            float max = float.NegativeInfinity;
            for (int i = 0; i < count; i++)
            {
                ReadOnlySpan<float> key = keys.Slice(i * d, d);
                float logit = -recencyDecayPerToken * (count - 1 - i);
                for (int j = 0; j < d; j++) logit += query[j] * key[j];
                probabilities[i] = logit;
                if (logit > max) max = logit;
            }
            double sum = 0;
            for (int i = 0; i < count; i++)
            {
                float e = (float)Math.Exp(probabilities[i] - max);
                probabilities[i] = e;
                sum += e;
            }
            float inverse = (float)(1 / sum);
            for (int i = 0; i < count; i++) probabilities[i] *= inverse;
        }
    }
}
