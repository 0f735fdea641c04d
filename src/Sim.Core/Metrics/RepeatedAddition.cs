using System;

namespace Sim.Core.Metrics
{
    /// <summary>
    /// A double added to a sum many times over, rounded after each addition exactly as a loop of additions rounds it, in
    /// a few steps instead of one per addition. While the sum stays within one binade [2^e, 2^(e+1)) every result is a
    /// multiple of that binade's ulp u, so each addition rounds the sum up by the one multiple of u nearest the value, the
    /// same each time unless the value lies exactly halfway between two multiples (then the tie to the even result
    /// alternates): that increment is counted out in integers up to the binade's top, and any other addition is made as
    /// it is.
    /// </summary>
    internal static class RepeatedAddition
    {
        const int MantissaBits = 52;
        const long HiddenBit = 1L << MantissaBits;
        const long MantissaMask = HiddenBit - 1;
        const int ExponentBias = 1023;
        // The biased exponents whose ulp and binade top are normal doubles.
        const int LeastFastExponent = MantissaBits + 1, MostFastExponent = 0x7FD;

        /// <summary><paramref name="sum"/> after <paramref name="times"/> additions of <paramref name="value"/>, one at a time.</summary>
        public static double Of(double sum, double value, int times)
        {
            while (times > 0)
            {
                double next = sum + value;
                long bits = BitConverter.DoubleToInt64Bits(sum);
                int exponent = (int)(bits >> MantissaBits);
                // A positive normal sum growing by a positive finite value within its binade (exponent: the sign bit is 0).
                if (value > 0 && exponent >= LeastFastExponent && exponent <= MostFastExponent && !double.IsInfinity(value))
                {
                    double ulp = BitConverter.Int64BitsToDouble((long)(exponent - MantissaBits) << MantissaBits);
                    double top = BitConverter.Int64BitsToDouble((long)(exponent + 1) << MantissaBits);
                    // 1 / ulp: 2^(1075 - exponent), biased 2098 - exponent.
                    double perUlp = BitConverter.Int64BitsToDouble((long)(2 * ExponentBias + MantissaBits - exponent) << MantissaBits);
                    // Both multiples of the ulp below 2^53 of them: exact. With it at least 2 ulps the value's distance from
                    // it is exact too (Sterbenz), and it is the nearest multiple unless that distance is half an ulp.
                    double increment = next - sum;
                    if (next < top && increment >= 2 * ulp && Math.Abs(value - increment) != 0.5 * ulp)
                    {
                        long units = (bits & MantissaMask) | HiddenBit;
                        long step = (long)(increment * perUlp);
                        // The additions whose result stays below the top: then the exact sum lies within the binade too.
                        long room = HiddenBit * 2 - 1 - units;
                        // The product is checked only where it cannot overflow (times below 2^31): no division then.
                        long count = step < 1L << 32 && times * step <= room ? times : Math.Min(times, room / step);
                        sum = (units + count * step) * ulp;
                        times -= (int)count;
                        continue;
                    }
                }
                sum = next;
                times--;
            }
            return sum;
        }
    }
}
