using System;

namespace Sim.Core.Experts
{
    /// <summary>
    /// The synthetic router of MoE mode: for a token (request, position) at a layer, the logit of expert e is its
    /// popularity, −skew × ln(rank + 1) with ranks shuffled per layer, plus Gumbel noise (a 4,096-entry quantile table
    /// indexed by 12 bits of a hash of seed, request, position, layer and expert), so top-k of the logits draws k experts without replacement in proportion to
    /// popularity. With probability <c>locality</c> a token instead favours its sequence's usual experts for the layer
    /// (k of them, fixed per request and layer): consecutive tokens of a sequence then reuse experts.
    /// </summary>
    public sealed class ExpertAffinity
    {
        const int GumbelTableBits = 12;
        const float LocalityBonus = 100;
        static readonly float[] GumbelTable = BuildGumbelTable();

        readonly ulong _seed;
        readonly int _experts, _topK;
        readonly double _locality;
        readonly float[] _popularity;

        public ExpertAffinity(ulong seed, int layers, int experts, int topK, double skew, double locality)
        {
            if (topK > experts) throw new ArgumentException("top-k " + topK + " is more than the " + experts + " experts", nameof(topK));
            _seed = seed;
            _experts = experts;
            _topK = topK;
            _locality = locality;
            _popularity = new float[layers * experts];
            var rng = DeterministicRng.ForStream(seed, "expert-popularity");
            var ranks = new int[experts];
            for (int layer = 0; layer < layers; layer++)
            {
                for (int e = 0; e < experts; e++) ranks[e] = e;
                for (int e = experts - 1; e > 0; e--)
                {
                    int j = rng.NextInt(e + 1);
                    (ranks[e], ranks[j]) = (ranks[j], ranks[e]);
                }
                for (int e = 0; e < experts; e++) _popularity[layer * experts + e] = (float)(-skew * Math.Log(ranks[e] + 1));
            }
        }

        /// <summary>Writes one token's router logits for <paramref name="layer"/> into <paramref name="logits"/> (one per expert).</summary>
        public void Logits(long requestId, int position, int layer, Span<float> logits)
        {
            ulong token = Mix(Mix(Mix(_seed ^ (ulong)requestId) ^ (uint)position) ^ (uint)layer);
            // Each 64-bit hash yields five 12-bit table indices: one hash per five experts.
            ulong bits = 0;
            for (int e = 0; e < _experts; e++)
            {
                if (e % 5 == 0) bits = Mix(token + (ulong)e);
                logits[e] = _popularity[layer * _experts + e] + GumbelTable[bits & ((1 << GumbelTableBits) - 1)];
                bits >>= GumbelTableBits;
            }
            if (_locality > 0 && (Mix(token) >> 11) * (1.0 / (1UL << 53)) < _locality)
            {
                ulong usual = Mix(Mix(_seed ^ (ulong)requestId ^ 0x5DEECE66DUL) ^ (uint)layer);
                for (int j = 0; j < _topK; j++) logits[(int)(Mix(usual + (uint)j) % (ulong)_experts)] += LocalityBonus;
            }
        }

        /// <summary>Gumbel quantiles at the midpoints of 4,096 equal slices of (0, 1): a hash picks one.</summary>
        static float[] BuildGumbelTable()
        {
            var table = new float[1 << GumbelTableBits];
            for (int i = 0; i < table.Length; i++) table[i] = (float)-Math.Log(-Math.Log((i + 0.5) / table.Length));
            return table;
        }

        static ulong Mix(ulong x) => DeterministicRng.Mix(x);
    }
}
