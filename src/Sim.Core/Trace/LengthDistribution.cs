using System;

namespace Sim.Core.Trace
{
    /// <summary>A distribution of token counts, always within [<see cref="Min"/>, <see cref="Max"/>].</summary>
    public sealed class LengthDistribution
    {
        public LengthKind Kind { get; set; }

        /// <summary>The length of <see cref="LengthKind.Fixed"/>.</summary>
        public int Value { get; set; }

        /// <summary>Lower bound of <see cref="LengthKind.Uniform"/> and clamp of the others; at least 1.</summary>
        public int Min { get; set; } = 1;

        /// <summary>Upper bound of <see cref="LengthKind.Uniform"/> and clamp of the others.</summary>
        public int Max { get; set; } = int.MaxValue;

        /// <summary>Mean token count of <see cref="LengthKind.LogNormal"/> (before clamping).</summary>
        public double Mean { get; set; }

        /// <summary>Standard deviation of the log of <see cref="LengthKind.LogNormal"/>.</summary>
        public double Sigma { get; set; }

        public int Sample(DeterministicRng rng) => Sampler().Sample(rng);

        /// <summary>The distribution as it is now, with what every draw shares worked out once (a stream draws a million times).</summary>
        internal LengthSampler Sampler() => new LengthSampler(this);

        /// <summary>Rejects settings that cannot be sampled, naming <paramref name="field"/> (e.g. workload.synthetic.prompt_tokens).</summary>
        internal void Validate(string field)
        {
            if (Min < 1) throw Bad(field + ".min", "must be at least 1 token");
            if (Max < Min) throw Bad(field + ".max", "must be at least min");
            switch (Kind)
            {
                case LengthKind.Fixed:
                    if (Value < Min || Value > Max) throw Bad(field + ".value", "must be within [min, max] and at least 1");
                    break;
                case LengthKind.LogNormal:
                    if (!(Mean > 0) || double.IsInfinity(Mean)) throw Bad(field + ".mean", "must be a finite number above 0");
                    if (!(Sigma >= 0) || double.IsInfinity(Sigma)) throw Bad(field + ".sigma", "must be a finite number, 0 or more");
                    break;
            }
        }

        static SimInputException Bad(string field, string problem) => new SimInputException("<scene>", 0, field, problem);
    }

    public enum LengthKind
    {
        Fixed,
        Uniform,
        LogNormal,
    }
}
