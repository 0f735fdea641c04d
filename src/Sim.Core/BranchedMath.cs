using System;

namespace Sim.Core
{
    /// <summary>
    /// <see cref="Math.Min(double, double)"/> and <see cref="Math.Max(double, double)"/>, the same value for every pair, chosen by
    /// comparisons the processor predicts: Math's select waits for both operands and adds its own latency to a chain of
    /// dependent arithmetic (a step's event time), where a predicted branch lets the work after it go on.
    /// Equal operands (+0 and -0) and NaN are Math's to choose.
    /// </summary>
    internal static class BranchedMath
    {
        public static double Min(double a, double b)
        {
            if (a < b) return a;
            if (b < a) return b;
            return Math.Min(a, b);
        }

        public static double Max(double a, double b)
        {
            if (a > b) return a;
            if (b > a) return b;
            return Math.Max(a, b);
        }
    }
}
