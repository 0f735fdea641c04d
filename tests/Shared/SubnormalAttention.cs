using System;
using Sim.Core.Compute;

namespace Sim.Tests.Shared
{
    /// <summary>
    /// Attention inputs that make subnormal floats at every step a device could flush them at, and a second
    /// implementation of the softmax as a device that flushes subnormals in hardware computes it (inputs and every
    /// operation's result, inside exp too), to check that the kernels' results do not depend on how a device treats them.
    /// </summary>
    public static class SubnormalAttention
    {
        public const int KeyDim = 8;

        /// <summary>
        /// Four positions: a subnormal query component, subnormal keys that a large query component would lift into the
        /// normal range if kept, a pair of logits whose difference is subnormal, and a logit 86.9 below the maximum whose
        /// probability (e^-86.9 / 2) is subnormal.
        /// </summary>
        public static (float[] Keys, float[] Query, int Count) Case()
        {
            const float tiny = 3e-39f; // subnormal
            var query = new float[KeyDim];
            query[0] = 1f;
            query[6] = 1000f;
            query[7] = tiny;
            var keys = new float[4 * KeyDim];
            keys[0 * KeyDim + 0] = 0f;
            keys[0 * KeyDim + 6] = tiny; // 1000 x 3e-39 = 3e-36 if kept, 0 if flushed
            keys[0 * KeyDim + 7] = 5f;   // a subnormal query component times 5
            keys[1 * KeyDim + 0] = 1.5e-38f; // logit 1.5e-38 (normal), close to position 2's
            keys[2 * KeyDim + 0] = 1.2e-38f; // their difference, 3e-39, is subnormal
            keys[3 * KeyDim + 0] = -86.9f;   // e^-86.9 / (sum about 3) is subnormal
            return (keys, query, 4);
        }

        static float Flush(float x) => Math.Abs(x) < Softmax.MinNormal ? 0f : x;

        /// <summary>The softmax as a flushing device computes it: every input and every float result flushed.</summary>
        public static float[] OnAFlushingDevice(float[] keys, float[] query, int count, float recencyDecay)
        {
            var logits = new float[count];
            float max = float.NegativeInfinity;
            for (int i = 0; i < count; i++)
            {
                float logit = Flush(-recencyDecay * (count - 1 - i));
                for (int j = 0; j < KeyDim; j++)
                    logit = Flush(logit + Flush(Flush(query[j]) * Flush(keys[i * KeyDim + j])));
                logits[i] = logit;
                max = Math.Max(max, logit);
            }
            var lanes = new double[Softmax.Lanes];
            for (int i = 0; i < count; i++)
            {
                logits[i] = FlushingExp(Flush(logits[i] - max));
                lanes[i % Softmax.Lanes] += logits[i];
            }
            for (int stride = Softmax.Lanes / 2; stride > 0; stride >>= 1)
                for (int lane = 0; lane < stride; lane++) lanes[lane] += lanes[lane + stride];
            float inverse = (float)(1 / lanes[0]);
            for (int i = 0; i < count; i++) logits[i] = Flush(logits[i] * inverse);
            return logits;
        }

        /// <summary>Softmax.Exp with each operation's result flushed.</summary>
        static float FlushingExp(float x)
        {
            if (x < -87f) return 0f;
            float n = MathF.Floor(Flush(x * 1.44269504f) + 0.5f);
            float r = Flush(x - Flush(n * 0.693145752f));
            r = Flush(r - Flush(n * 1.42860677e-6f));
            float p = 0.00138888892f;
            foreach (float c in new[] { 0.00833333377f, 0.0416666679f, 0.166666672f, 0.5f, 1f, 1f })
                p = Flush(Flush(p * r) + c);
            return Flush(p * BitConverter.Int32BitsToSingle(((int)n + 127) << 23));
        }

        /// <summary>The softmax with subnormals kept and nothing flushed, as a device that keeps them would compute it unguarded.</summary>
        public static float[] Unguarded(float[] keys, float[] query, int count)
        {
            var p = new float[count];
            float max = float.NegativeInfinity;
            for (int i = 0; i < count; i++)
            {
                float logit = 0f;
                for (int j = 0; j < KeyDim; j++) logit += query[j] * keys[i * KeyDim + j];
                p[i] = logit;
                max = Math.Max(max, logit);
            }
            double sum = 0;
            for (int i = 0; i < count; i++) sum += p[i] = (float)Math.Exp(p[i] - max);
            for (int i = 0; i < count; i++) p[i] = (float)(p[i] / sum);
            return p;
        }
    }
}
