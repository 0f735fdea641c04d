using System;

namespace Sim.Core.Compute
{
    /// <summary>
    /// The arithmetic the attention kernel's CPU reference and its GPU twin share, step for step, so both give the same
    /// bits: exp by range reduction and a degree-6 polynomial in float operations only (the GPU keeps them from fusing),
    /// and sums over 64 strided lanes folded pairwise in double, the order a 64-thread workgroup reduces in.
    /// Subnormal floats are flushed to zero wherever one can arise (inputs, products, sums, differences): some devices
    /// flush them in hardware and others keep them, so a result that never holds one is the same on both.
    /// </summary>
    public static class Softmax
    {
        /// <summary>Threads of the GPU workgroup, whose reduction order the CPU follows.</summary>
        public const int Lanes = 64;

        /// <summary>The smallest normal float (FLT_MIN); below it in magnitude a float is subnormal.</summary>
        public const float MinNormal = 1.17549435E-38f;

        /// <summary>+0 for a subnormal or zero <paramref name="x"/>, else <paramref name="x"/>: what a flushing device computes.</summary>
        public static float FlushSubnormal(float x) => Math.Abs(x) < MinNormal ? 0f : x;

        /// <summary>e^x for x &lt;= 0 to within two float ulps; 0 below -87, where floats turn subnormal; never subnormal itself.</summary>
        public static float Exp(float x)
        {
            if (x < -87f) return 0f;
            float n = MathF.Floor(x * 1.44269504f + 0.5f);
            float r = x - n * 0.693145752f;
            r = r - n * 1.42860677e-6f;
            float p = 0.00138888892f;
            p = p * r + 0.00833333377f;
            p = p * r + 0.0416666679f;
            p = p * r + 0.166666672f;
            p = p * r + 0.5f;
            p = p * r + 1f;
            p = p * r + 1f;
            return p * BitConverter.Int32BitsToSingle(((int)n + 127) << 23);
        }
    }
}
