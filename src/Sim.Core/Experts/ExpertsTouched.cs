using System;
using Sim.Core.Compute;

namespace Sim.Core.Experts
{
    /// <summary>
    /// Extends a routed sample of an iteration's tokens to all of them without routing the rest. Each simulated layer's
    /// marginal pick probabilities q_e (chance a token's top-k includes expert e) are measured once by routing 4,096
    /// tokens of distinct sequences through the gate. For an iteration of N tokens of which n were routed: an expert
    /// the sample touched gets its sampled tokens plus (N − n)·q_e; an expert it missed is touched by the other
    /// N − n tokens with probability P_e = 1 − (1 − q_e)^(N − n), drawn per iteration, and then gets
    /// (N − n)·q_e / P_e tokens (a binomial count's mean given that it is at least one). The tokens beyond the sample
    /// are taken as independent of each other: it ignores that a prefill's tokens share their sequence's usual experts.
    /// </summary>
    public sealed class ExpertsTouched
    {
        /// <summary>Tokens routed to measure each layer's marginals: a pick probability's standard error is at most 0.008.</summary>
        public const int MarginalTokens = 4096;

        readonly int _experts;
        readonly double[] _marginals;
        readonly ulong _seed;

        public ExpertsTouched(ExpertAffinity affinity, int[] layers, int experts, int topK, IComputeBackend backend, ulong seed)
        {
            _experts = experts;
            _seed = seed;
            _marginals = new double[layers.Length * experts];
            var logits = new float[MarginalTokens * experts];
            var chosen = new int[MarginalTokens * topK];
            var counts = new int[experts];
            for (int i = 0; i < layers.Length; i++)
            {
                // Sequences no trace uses (negative ids), one token each, so the locality draw is averaged over sequences.
                for (int t = 0; t < MarginalTokens; t++)
                    affinity.Logits(-1 - t, 0, layers[i], new Span<float>(logits, t * experts, experts));
                Array.Clear(counts, 0, experts);
                backend.GateTopK(logits, MarginalTokens, experts, topK, chosen, counts);
                for (int e = 0; e < experts; e++) _marginals[i * experts + e] = (double)counts[e] / MarginalTokens;
            }
        }

        /// <summary>Chance a token of simulated layer <paramref name="layer"/> picks <paramref name="expert"/> among its top-k.</summary>
        public double Marginal(int layer, int expert) => _marginals[layer * _experts + expert];

        /// <summary>
        /// Writes each expert's tokens for the iteration: the sample's exact counts plus the rest's share, experts the
        /// sample missed touched with the chance above. <paramref name="restTokens"/> receives the rest's part alone.
        /// </summary>
        /// <param name="layer">Simulated layer index (into the layers given at construction).</param>
        /// <param name="draw">A per-(iteration, layer) hash from which the touched-or-not draws are taken.</param>
        public void Extend(int layer, ReadOnlySpan<int> sampleCounts, int sampled, int tokens, ulong draw, Span<double> tokensPerExpert, Span<double> restTokens)
        {
            int rest = tokens - sampled;
            for (int e = 0; e < _experts; e++)
            {
                double q = _marginals[layer * _experts + e];
                double expected = rest * q;
                double extra = expected;
                if (sampleCounts[e] == 0 && expected > 0)
                {
                    double touched = 1 - Math.Pow(1 - q, rest);
                    double u = (DeterministicRng.Mix(draw ^ _seed ^ (ulong)(e + 1) * 0x9E3779B97F4A7C15UL) >> 11) * (1.0 / (1UL << 53));
                    extra = u < touched ? expected / touched : 0;
                }
                restTokens[e] = extra;
                tokensPerExpert[e] = sampleCounts[e] + extra;
            }
        }
    }
}
