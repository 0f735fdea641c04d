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

        /// <summary>Whether a row is exactly one float vector (two double vectors): the whole-loop sums keep it in registers.</summary>
        static readonly bool OneVectorARow = Vectorised && Vector<float>.Count == D && 2 * Vector<double>.Count == D;

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
            if (!OneVectorARow)
            {
                for (int i = 0; i < count; i++) Add(sum, rows, start + i * D, weights[i]);
                return;
            }
            ReadOnlySpan<Vector<float>> all = MemoryMarshal.Cast<float, Vector<float>>(new ReadOnlySpan<float>(rows, start, count * D));
            Span<Vector<double>> sums = MemoryMarshal.Cast<double, Vector<double>>(new Span<double>(sum, 0, D));
            // The sums stay in registers over the loop.
            Vector<double> low = sums[0], high = sums[1];
            for (int i = 0; i < count; i++)
            {
                Vector.Widen(all[i], out Vector<double> rowLow, out Vector<double> rowHigh);
                var by = new Vector<double>((double)weights[i]);
                low += rowLow * by;
                high += rowHigh * by;
            }
            sums[0] = low;
            sums[1] = high;
        }

        /// <summary>sum[j] += weights[r] × (row positions[from + r])[j] for r below <paramref name="count"/>, rows counted from <paramref name="start"/>.</summary>
        public static void AddAt(double[] sum, float[] rows, int start, double[] weights, int[] positions, int from, int count)
        {
            if (!OneVectorARow)
            {
                for (int r = 0; r < count; r++) Add(sum, rows, start + positions[from + r] * D, weights[r]);
                return;
            }
            ReadOnlySpan<Vector<float>> all = MemoryMarshal.Cast<float, Vector<float>>(new ReadOnlySpan<float>(rows, start, rows.Length - start));
            Span<Vector<double>> sums = MemoryMarshal.Cast<double, Vector<double>>(new Span<double>(sum, 0, D));
            Vector<double> low = sums[0], high = sums[1];
            for (int r = 0; r < count; r++)
            {
                Vector.Widen(all[positions[from + r]], out Vector<double> rowLow, out Vector<double> rowHigh);
                var by = new Vector<double>(weights[r]);
                low += rowLow * by;
                high += rowHigh * by;
            }
            sums[0] = low;
            sums[1] = high;
        }
    }
}
