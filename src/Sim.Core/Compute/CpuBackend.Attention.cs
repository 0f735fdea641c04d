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
            // Every step that can make a subnormal flushes it, as the shader does (Softmax.FlushSubnormal).
            Span<float> q = stackalloc float[d];
            for (int j = 0; j < d; j++) q[j] = Softmax.FlushSubnormal(query[j]);
            float max = float.NegativeInfinity;
            for (int i = 0; i < count; i++)
            {
                ReadOnlySpan<float> key = keys.Slice(i * d, d);
                float logit = Softmax.FlushSubnormal(-recencyDecayPerToken * (count - 1 - i));
                for (int j = 0; j < d; j++)
                    logit = Softmax.FlushSubnormal(logit + Softmax.FlushSubnormal(q[j] * Softmax.FlushSubnormal(key[j])));
                probabilities[i] = logit;
                if (logit > max) max = logit;
            }
            // Exp and the sum as the GPU's workgroup does them (Softmax): lane l takes positions l, l + 64, ...; lanes fold pairwise.
            Span<double> lanes = stackalloc double[Softmax.Lanes];
            lanes.Clear();
            for (int i = 0; i < count; i++)
            {
                float e = Softmax.Exp(Softmax.FlushSubnormal(probabilities[i] - max));
                probabilities[i] = e;
                lanes[i % Softmax.Lanes] += e;
            }
            for (int stride = Softmax.Lanes / 2; stride > 0; stride >>= 1)
                for (int lane = 0; lane < stride; lane++) lanes[lane] += lanes[lane + stride];
            float inverse = (float)(1 / lanes[0]);
            for (int i = 0; i < count; i++) probabilities[i] = Softmax.FlushSubnormal(probabilities[i] * inverse);
        }
    }
}
