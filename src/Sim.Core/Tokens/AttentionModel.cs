using System;

namespace Sim.Core.Tokens
{
    /// <summary>
    /// The synthetic attention of token mode (<c>kv.attention</c>), seeded and procedural: every key and query is a
    /// hash of (seed, request, position), so nothing is stored to replay it. Keys have <see cref="KeyDim"/> dimensions.
    /// A query points along the first axis plus noise; the first <see cref="Sinks"/> positions (attention sinks) and a
    /// <see cref="HeavyHitterShare"/> of the others (heavy hitters) have keys along it too, so they draw attention at
    /// every step; the rest are noise. The attention kernel adds a recency bias that favours recent positions.
    /// </summary>
    public sealed class AttentionModel
    {
        public const int KeyDim = 8;

        public ulong Seed { get; set; }

        public int Sinks { get; set; } = 4;

        /// <summary>Size of a sink key along the query direction.</summary>
        public float SinkStrength { get; set; } = 4;

        public double HeavyHitterShare { get; set; } = 0.05;

        public float HeavyHitterStrength { get; set; } = 3;

        /// <summary>Logit penalty per position of distance from the query.</summary>
        public float RecencyDecayPerToken { get; set; } = 0.01f;

        /// <summary>Size of the noise in keys and queries.</summary>
        public float Noise { get; set; } = 0.5f;

        /// <summary>
        /// Layer groups a token is kept in separately (the <c>cake</c> policy's dimension; 1 otherwise). Group l attends
        /// with temperature <see cref="LayerTemperature"/>: low in early groups (attention spread wide), high in late
        /// ones (concentrated), as attention dispersion varies across a model's layers.
        /// </summary>
        public int Layers { get; set; } = 1;

        /// <summary>2^(l - (Layers - 1) / 2): 1 with one group; e.g. 0.35, 0.71, 1.41, 2.83 with four.</summary>
        public float LayerTemperature(int layer) => (float)Math.Pow(2, layer - (Layers - 1) / 2.0);

        /// <summary>A copy drawing from <paramref name="seed"/>: each run's scene seed.</summary>
        public AttentionModel WithSeed(ulong seed)
        {
            var copy = (AttentionModel)MemberwiseClone();
            copy.Seed = seed;
            return copy;
        }

        public bool IsHeavyHitter(long requestId, int position) =>
            position >= Sinks && Unit(Hash(requestId, position, KeyDim)) < HeavyHitterShare;

        public void KeyOf(long requestId, int position, Span<float> key)
        {
            float along = position < Sinks ? SinkStrength : IsHeavyHitter(requestId, position) ? HeavyHitterStrength : 0;
            for (int j = 0; j < KeyDim; j++) key[j] = Noise * Signed(Hash(requestId, position, j));
            key[0] += along;
        }

        /// <summary>The query of the step that computes <paramref name="position"/>.</summary>
        public void QueryOf(long requestId, int position, Span<float> query)
        {
            for (int j = 0; j < KeyDim; j++) query[j] = Noise * Signed(Hash(requestId, ~position, j));
            query[0] += 1;
        }

        // splitmix64 steps over the seed and each coordinate in turn: well mixed, the same numbers on every runtime.
        ulong Hash(long requestId, int position, int component) =>
            Mix(Mix(Mix(Mix(Seed) ^ (ulong)requestId) ^ (uint)position) ^ (uint)component);

        static ulong Mix(ulong x) => DeterministicRng.Mix(x);

        static double Unit(ulong bits) => (bits >> 11) * (1.0 / (1UL << 53));

        static float Signed(ulong bits) => (float)(2 * Unit(bits) - 1);
    }
}
