using System;

namespace Sim.Core.Trace
{
    /// <summary>
    /// Draws token counts from a <see cref="LengthDistribution"/>, whose settings it copies: the log-normal's location
    /// mu is computed once rather than once a draw (the same expression, so the same bits).
    /// </summary>
    internal readonly struct LengthSampler
    {
        readonly LengthKind _kind;
        readonly int _value, _min, _max;
        readonly double _mu, _sigma;

        internal LengthSampler(LengthDistribution distribution)
        {
            _kind = distribution.Kind;
            _value = distribution.Value;
            _min = distribution.Min;
            _max = distribution.Max;
            _sigma = distribution.Sigma;
            // exp(mu + sigma z) has mean exp(mu + sigma^2 / 2); choose mu so the mean is Mean.
            _mu = Math.Log(distribution.Mean) - _sigma * _sigma / 2;
        }

        public int Sample(DeterministicRng rng)
        {
            double value = _kind switch
            {
                LengthKind.Fixed => _value,
                LengthKind.Uniform => _min + rng.NextInt(_max - _min + 1),
                _ => Math.Exp(_mu + _sigma * rng.NextNormal()),
            };
            return (int)Math.Max(_min, Math.Min(_max, Math.Round(value)));
        }
    }
}
