using System;
using System.Numerics;
using System.Runtime.InteropServices;
using Sim.Core.Tokens;

namespace Sim.Core.Compute
{
    public sealed partial class CpuBackend
    {
        const int D = AttentionModel.KeyDim;

        public void AttentionProbabilities(ReadOnlySpan<float> keys, int count, ReadOnlySpan<float> query, float recencyDecayPerToken, Span<float> probabilities)
        {
            if (keys.Length < count * D || query.Length < D || probabilities.Length < count)
                throw new ArgumentException("keys need count x " + D + " floats, the query " + D + ", probabilities count");
            // Every step that can make a subnormal flushes it, as the shader does (Softmax.FlushSubnormal).
            Span<float> q = stackalloc float[D];
            for (int j = 0; j < D; j++) q[j] = Softmax.FlushSubnormal(query[j]);
            // Positions in blocks of one vector's width, the rest one at a time: the same float operations in the same
            // order for every position either way, so the bits do not depend on the width.
            int width = Vector.IsHardwareAccelerated ? Vector<float>.Count : 1;
            int blocked = width > 1 ? count - count % width : 0;
            float max = blocked > 0 ? VectorLogits(keys, blocked, count, q, recencyDecayPerToken, probabilities) : float.NegativeInfinity;
            for (int i = blocked; i < count; i++)
            {
                float logit = Logit(keys.Slice(i * D, D), q, -recencyDecayPerToken * (count - 1 - i));
                probabilities[i] = logit;
                if (logit > max) max = logit;
            }
            if (blocked > 0) VectorExp(probabilities, blocked, max);
            for (int i = blocked; i < count; i++) probabilities[i] = Softmax.Exp(Softmax.FlushSubnormal(probabilities[i] - max));
            // The sum as the GPU's workgroup does it (Softmax): lane l takes positions l, l + 64, ...; lanes fold pairwise.
            Span<double> lanes = stackalloc double[Softmax.Lanes];
            lanes.Clear();
            for (int first = 0; first < count; first += Softmax.Lanes)
            {
                int end = Math.Min(count, first + Softmax.Lanes);
                for (int i = first; i < end; i++) lanes[i - first] += probabilities[i];
            }
            for (int stride = Softmax.Lanes / 2; stride > 0; stride >>= 1)
                for (int lane = 0; lane < stride; lane++) lanes[lane] += lanes[lane + stride];
            float inverse = (float)(1 / lanes[0]);
            if (blocked > 0) VectorScale(probabilities, blocked, inverse);
            for (int i = blocked; i < count; i++) probabilities[i] = Softmax.FlushSubnormal(probabilities[i] * inverse);
        }

        /// <summary>q·k − recency, accumulated axis by axis with every term flushed (the shader's order).</summary>
        static float Logit(ReadOnlySpan<float> key, ReadOnlySpan<float> q, float recency)
        {
            float logit = Softmax.FlushSubnormal(recency);
            for (int j = 0; j < D; j++)
                logit = Softmax.FlushSubnormal(logit + Softmax.FlushSubnormal(q[j] * Softmax.FlushSubnormal(key[j])));
            return logit;
        }

        /// <summary>
        /// <see cref="Logit"/> for the first <paramref name="blocked"/> positions, a vector of positions at a time (the keys
        /// of a block turned to one vector per axis); returns their largest.
        /// </summary>
        static unsafe float VectorLogits(ReadOnlySpan<float> keys, int blocked, int count, ReadOnlySpan<float> q, float decay, Span<float> logits)
        {
            int width = Vector<float>.Count;
            Span<Vector<float>> columns = stackalloc Vector<float>[D];
            Span<float> column = MemoryMarshal.Cast<Vector<float>, float>(columns);
            Span<Vector<float>> output = MemoryMarshal.Cast<float, Vector<float>>(logits.Slice(0, blocked));
            Span<Vector<float>> queryAxes = stackalloc Vector<float>[D];
            for (int j = 0; j < D; j++) queryAxes[j] = new Vector<float>(q[j]);
            Span<int> lane = stackalloc int[width];
            for (int l = 0; l < width; l++) lane[l] = l;
            Vector<int> lanes = MemoryMarshal.Cast<int, Vector<int>>(lane)[0];
            var negativeDecay = new Vector<float>(-decay);
            var max = new Vector<float>(float.NegativeInfinity);
            fixed (float* rows = keys)
            fixed (float* transposed = column)
            for (int i = 0, block = 0; i < blocked; i += width, block++)
            {
                // The block's keys, one vector per axis (the bounds were checked once, on entry).
                float* row = rows + i * D;
                for (int l = 0; l < width; l++, row += D)
                    for (int j = 0; j < D; j++) transposed[j * width + l] = row[j];
                Vector<float> distance = Vector.ConvertToSingle(new Vector<int>(count - 1 - i) - lanes);
                Vector<float> logit = Flush(negativeDecay * distance);
                for (int j = 0; j < D; j++) logit = Flush(logit + Flush(queryAxes[j] * Flush(columns[j])));
                output[block] = logit;
                max = Vector.Max(max, logit);
            }
            float largest = float.NegativeInfinity;
            for (int l = 0; l < width; l++) largest = Math.Max(largest, max[l]);
            return largest;
        }

        /// <summary><see cref="Softmax.Exp"/> of each logit minus the largest, flushed, a vector at a time.</summary>
        static void VectorExp(Span<float> values, int blocked, float max)
        {
            Span<Vector<float>> blocks = MemoryMarshal.Cast<float, Vector<float>>(values.Slice(0, blocked));
            var largest = new Vector<float>(max);
            var floorOfBelow = new Vector<float>(-87f);
            for (int b = 0; b < blocks.Length; b++)
            {
                Vector<float> x = Flush(blocks[b] - largest);
                // floor by truncation, one down where truncation went up (x <= 0 here, so it went up for non-integers).
                Vector<float> scaled = x * new Vector<float>(1.44269504f) + new Vector<float>(0.5f);
                Vector<float> truncated = Vector.ConvertToSingle(Vector.ConvertToInt32(scaled));
                Vector<float> n = truncated - Vector.ConditionalSelect(Vector.GreaterThan(truncated, scaled), Vector<float>.One, Vector<float>.Zero);
                Vector<float> r = x - n * new Vector<float>(0.693145752f);
                r = r - n * new Vector<float>(1.42860677e-6f);
                Vector<float> p = new Vector<float>(0.00138888892f);
                p = p * r + new Vector<float>(0.00833333377f);
                p = p * r + new Vector<float>(0.0416666679f);
                p = p * r + new Vector<float>(0.166666672f);
                p = p * r + new Vector<float>(0.5f);
                p = p * r + Vector<float>.One;
                p = p * r + Vector<float>.One;
                // 2^n as the float whose exponent field is n + 127 (for x >= -87 that is at least 1: never subnormal).
                Vector<float> power = Vector.AsVectorSingle((Vector.ConvertToInt32(n) + new Vector<int>(127)) * new Vector<int>(1 << 23));
                blocks[b] = Vector.ConditionalSelect(Vector.LessThan(x, floorOfBelow), Vector<float>.Zero, p * power);
            }
        }

        static void VectorScale(Span<float> values, int blocked, float factor)
        {
            Span<Vector<float>> blocks = MemoryMarshal.Cast<float, Vector<float>>(values.Slice(0, blocked));
            var by = new Vector<float>(factor);
            for (int b = 0; b < blocks.Length; b++) blocks[b] = Flush(blocks[b] * by);
        }

        /// <summary><see cref="Softmax.FlushSubnormal"/> on every lane: +0 where the magnitude is below the smallest normal.</summary>
        static Vector<float> Flush(Vector<float> x) =>
            Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(x), new Vector<float>(Softmax.MinNormal)), Vector<float>.Zero, x);
    }
}
