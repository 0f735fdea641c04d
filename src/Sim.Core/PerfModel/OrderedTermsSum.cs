using System;

namespace Sim.Core.PerfModel
{
    /// <summary>
    /// A fixed run of non-negative terms added in order to a start that varies, rounded after each addition exactly as the loop
    /// of additions rounds it, in one addition while the sums stay within the start's binade [2^e, 2^(e+1)). There every sum is
    /// a multiple of the binade's ulp u, so each addition adds the one multiple of u nearest its term, whatever the sum
    /// (unless the term lies exactly halfway between two, then the tie to the even sum decides): those multiples, summed in
    /// integers once per binade, are one exact increment. A start whose sum would leave its binade, or whose binade has a tie,
    /// takes the loop. The increments of four binades are kept (by the exponent's lowest bits): starts on both sides of a
    /// binade's top, such as those of two replicas' batches of one size, do not evict each other's.
    /// </summary>
    internal sealed class OrderedTermsSum
    {
        const int MantissaBits = 52;
        // The biased exponents whose ulp is a normal double at most 1 (so a term divided by it is exact) and whose top is normal.
        const int LeastExponent = MantissaBits + 1, MostExponent = 1023 + MantissaBits;
        const int Kept = 4;

        readonly double[] _terms;
        // Per kept binade (exponent modulo Kept): its biased exponent (-1: none), its increment, and whether it takes the loop.
        readonly int[] _exponents = { -1, -1, -1, -1 };
        readonly double[] _incrementsS = new double[Kept];
        readonly bool[] _barred = new bool[Kept];

        public OrderedTermsSum(double[] terms)
        {
            _terms = terms;
        }

        /// <summary><paramref name="startS"/> + the terms, added one at a time in order.</summary>
        public double Add(double startS)
        {
            // The sign bit read as the exponent's 12th: a negative start is never a kept binade's.
            int exponent = (int)((ulong)BitConverter.DoubleToInt64Bits(startS) >> MantissaBits);
            int slot = exponent & (Kept - 1);
            if (_exponents[slot] == exponent)
            {
                // The exact sum is a multiple of u below the top when the rounded one is (the top is a double, rounding monotone).
                double sumS = startS + _incrementsS[slot];
                if (!_barred[slot] && sumS < BitConverter.Int64BitsToDouble((long)(exponent + 1) << MantissaBits)) return sumS;
            }
            else if (exponent >= LeastExponent && exponent <= MostExponent) Learn(exponent, slot);
            return OneAtATime(startS);
        }

        double OneAtATime(double startS)
        {
            double sumS = startS;
            foreach (double termS in _terms) sumS += termS;
            return sumS;
        }

        /// <summary>Keeps the increment of the binade of biased <paramref name="exponent"/> (a positive start's).</summary>
        void Learn(int exponent, int slot)
        {
            double ulp = BitConverter.Int64BitsToDouble((long)(exponent - MantissaBits) << MantissaBits);
            long units = 0;
            bool barred = false;
            foreach (double termS in _terms)
            {
                // A term of 2^52 ulps or more (or negative, or not a number) takes any sum out of the binade: barred.
                double inUlps = termS / ulp;
                if (!(inUlps >= 0 && inUlps < 1L << MantissaBits))
                {
                    barred = true;
                    break;
                }
                double whole = Math.Floor(inUlps);
                double fraction = inUlps - whole;
                if (fraction == 0.5) barred = true;
                units += (long)whole + (fraction > 0.5 ? 1 : 0);
            }
            // An increment of 2^52 ulps or more is the binade's width: every sum leaves it. Fewer are exact as a double.
            if (units >= 1L << MantissaBits) barred = true;
            _exponents[slot] = exponent;
            _barred[slot] = barred;
            _incrementsS[slot] = barred ? 0 : units * ulp;
        }
    }
}
