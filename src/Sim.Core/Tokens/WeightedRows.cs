using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sim.Core.Tokens
{
    /// <summary>
    /// Sums of weighted value rows in double (the attention outputs the output error compares), a vector of axes at a
    /// time where a row is a whole number of vectors: each axis still adds its terms in the same order, so the bits are
    /// those of the plain loop.
    /// </summary>
    internal static class WeightedRows
    {
        const int D = AttentionModel.KeyDim;

        static readonly bool Vectorised = Vector.IsHardwareAccelerated && D % Vector<float>.Count == 0;

        /// <summary>sum[j] += weight × row[j] for the <see cref="AttentionModel.KeyDim"/> axes of the row starting at <paramref name="start"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Add(double[] sum, float[] rows, int start, double weight)
        {
            if (!Vectorised)
            {
                for (int j = 0; j < D; j++) sum[j] += weight * rows[start + j];
                return;
            }
            Span<Vector<double>> sums = MemoryMarshal.Cast<double, Vector<double>>(new Span<double>(sum, 0, D));
            ReadOnlySpan<Vector<float>> row = MemoryMarshal.Cast<float, Vector<float>>(new ReadOnlySpan<float>(rows, start, D));
            var by = new Vector<double>(weight);
            for (int k = 0; k < row.Length; k++)
            {
                Vector.Widen(row[k], out Vector<double> low, out Vector<double> high);
                sums[2 * k] += low * by;
                sums[2 * k + 1] += high * by;
            }
        }

        /// <summary>sum[j] += weights[i] × row i[j] over the first <paramref name="count"/> rows from <paramref name="start"/>.</summary>
        public static void AddAll(double[] sum, float[] rows, int start, float[] weights, int count)
        {
            if (!Vectorised)
            {
                for (int i = 0; i < count; i++) Add(sum, rows, start + i * D, weights[i]);
                return;
            }
            Span<Vector<double>> sums = MemoryMarshal.Cast<double, Vector<double>>(new Span<double>(sum, 0, D));
            ReadOnlySpan<Vector<float>> all = MemoryMarshal.Cast<float, Vector<float>>(new ReadOnlySpan<float>(rows, start, count * D));
            int perRow = D / Vector<float>.Count;
            for (int i = 0; i < count; i++)
            {
                var by = new Vector<double>((double)weights[i]);
                for (int k = 0; k < perRow; k++)
                {
                    Vector.Widen(all[i * perRow + k], out Vector<double> low, out Vector<double> high);
                    sums[2 * k] += low * by;
                    sums[2 * k + 1] += high * by;
                }
            }
        }
    }
}
