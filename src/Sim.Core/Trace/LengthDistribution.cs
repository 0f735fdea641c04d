using System;

namespace Sim.Core.Trace
{
    /// <summary>A distribution of token counts, always within [<see cref="Min"/>, <see cref="Max"/>].</summary>
    public sealed class LengthDistribution
    {
        public LengthKind Kind { get; set; }

        /// <summary>The length of <see cref="LengthKind.Fixed"/>.</summary>
        public int Value { get; set; }

        public int Min { get; set; } = 1;

        public int Max { get; set; } = int.MaxValue;

        /// <summary>Mean token count of <see cref="LengthKind.LogNormal"/> (before clamping).</summary>
        public double Mean { get; set; }

        /// <summary>Standard deviation of the log of <see cref="LengthKind.LogNormal"/>.</summary>
        public double Sigma { get; set; }

        public int Sample(DeterministicRng rng)
        {
            double value = Kind switch
            {
                LengthKind.Fixed => Value,
                LengthKind.Uniform => Min + rng.NextInt(Max - Min + 1),
                // exp(mu + sigma z) has mean exp(mu + sigma^2 / 2); choose mu so the mean is Mean.
                _ => Math.Exp(Math.Log(Mean) - Sigma * Sigma / 2 + Sigma * rng.NextNormal()),
            };
            return (int)Math.Max(Min, Math.Min(Max, Math.Round(value)));
        }
    }

    public enum LengthKind
    {
        Fixed,
        Uniform,
        LogNormal,
    }
}
