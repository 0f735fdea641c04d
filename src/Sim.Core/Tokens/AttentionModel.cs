using System;

namespace Sim.Core.Tokens
{
    /// <summary>
    /// The synthetic attention of token mode (<c>kv.attention</c>), seeded and procedural: every key, value and query is a
    /// hash of (seed, layer group, head, request, position), so nothing is stored to replay it. docs/TOKENS.md gives the
    /// published statistic each parameter is fitted to.
    /// <para>
    /// A sequence is a run of <see cref="SegmentTokens"/>-token segments, each about one of <see cref="Topics"/> latent
    /// directions (the first axes of the 8-dimensional head space). A key lies along its segment's topic with a
    /// power-law strength (a few keys are far stronger: heavy hitters); a query lies along the topic of the segment it is
    /// in, so attention returns to a topic's strongest keys whenever the text comes back to it (retrieval, recurrence).
    /// Decode segments go back to the topic the prompt ended on (its question) with probability
    /// <see cref="QuestionReturnShare"/>. The first <see cref="Sinks"/> positions are attention sinks: their keys use
    /// the last axis alone, on which every query carries the sink logit plus the kernel's recency penalty at its own
    /// distance, so sinks draw the same logit at any distance. Layer groups differ in how sharply they attend
    /// (<see cref="QueryStrength"/>), in sink logit and in recency decay; heads differ in their draws.
    /// </para>
    /// </summary>
    public sealed class AttentionModel
    {
        public const int KeyDim = 8;

        /// <summary>Latent directions: axes 0 .. Topics - 1 of the head space; the last axis carries the sinks.</summary>
        public const int Topics = 6;

        const int SinkAxis = KeyDim - 1;

        public ulong Seed { get; set; }

        public int Sinks { get; set; } = 4;

        /// <summary>Layer groups, each with its own attention and its own copy of every token.</summary>
        public int Layers { get; set; } = 4;

        /// <summary>KV heads per layer group, each with its own draws and its own copy of every token.</summary>
        public int Heads { get; set; } = 2;

        /// <summary>Copies of every token: one per layer group and head.</summary>
        public int Copies => Layers * Heads;

        /// <summary>Positions in a segment about one topic.</summary>
        public int SegmentTokens { get; set; } = 64;

        /// <summary>Share of decode segments about the topic the prompt ended on (the rest draw a topic at random).</summary>
        public double QuestionReturnShare { get; set; } = 0.6;

        /// <summary>Pareto exponent of key strengths along their topic: smaller gives heavier hitters.</summary>
        public double KeyStrengthExponent { get; set; } = 1.5;

        /// <summary>Smallest key strength; strengths are capped at 8 times it.</summary>
        public float KeyStrengthMin { get; set; } = 0.5f;

        /// <summary>Size of the noise on every other axis of keys and queries.</summary>
        public float Noise { get; set; } = 0.5f;

        /// <summary>Per layer group, bottom to top: query strength along its topic; higher attends more sharply.</summary>
        public float[] QueryStrength { get; set; } = { 0.75f, 1.25f, 1.5f, 1.75f };

        /// <summary>Per layer group: the logit every query gives a sink, at any distance.</summary>
        public float[] SinkLogit { get; set; } = { 0f, 5.5f, 6.25f, 7f };

        /// <summary>Per layer group: logit penalty per position of distance from the query (not applied to sinks).</summary>
        public float[] RecencyDecayPerToken { get; set; } = { 0.02f, 0.006f, 0.004f, 0.002f };

        /// <summary>A copy drawing from <paramref name="seed"/>: each run's scene seed.</summary>
        public AttentionModel WithSeed(ulong seed)
        {
            var copy = (AttentionModel)MemberwiseClone();
            copy.Seed = seed;
            return copy;
        }

        public int LayerOf(int copy) => copy / Heads;

        public float RecencyDecay(int layer) => At(RecencyDecayPerToken, layer);

        /// <summary>The topic of the segment holding <paramref name="position"/> of a sequence whose prompt has <paramref name="promptTokens"/>.</summary>
        public int TopicAt(long requestId, int position, int promptTokens)
        {
            int segment = position / SegmentTokens;
            // Decode segments go back to the question (the topic the prompt ended on) or draw one at random.
            if (position >= promptTokens && segment > (promptTokens - 1) / SegmentTokens
                && Unit(Hash(-1, requestId, segment, 1)) < QuestionReturnShare)
                return TopicAt(requestId, promptTokens - 1, promptTokens);
            return (int)(Hash(-1, requestId, segment, 0) % Topics);
        }

        public void KeyOf(int copy, long requestId, int position, int promptTokens, Span<float> key)
        {
            for (int j = 0; j < KeyDim; j++) key[j] = 0;
            if (position < Sinks)
            {
                key[SinkAxis] = 1;
                return;
            }
            for (int j = 0; j < SinkAxis; j++) key[j] = Noise * Signed(Hash(copy, requestId, position, j));
            // Pareto strengths: u^(-1/a) over a minimum, capped so one key cannot take every query alone.
            double u = 1 - Unit(Hash(copy, requestId, position, KeyDim));
            float strength = (float)Math.Min(8 * KeyStrengthMin, KeyStrengthMin * Math.Pow(u, -1 / KeyStrengthExponent));
            key[TopicAt(requestId, position, promptTokens)] += strength;
        }

        /// <summary>A synthetic value vector, for the output-error measure: uniform in [-1, 1) on every axis.</summary>
        public void ValueOf(int copy, long requestId, int position, Span<float> value)
        {
            for (int j = 0; j < KeyDim; j++) value[j] = Signed(Hash(copy, requestId, ~position, j));
        }

        /// <summary>
        /// The query of the step that computes <paramref name="position"/> in <paramref name="copy"/>. Its sink axis holds
        /// the sink logit plus the recency penalty the kernel takes off at the sinks' distance, so sinks are exempt from it.
        /// </summary>
        public void QueryOf(int copy, long requestId, int position, int promptTokens, Span<float> query)
        {
            int layer = LayerOf(copy);
            for (int j = 0; j < SinkAxis; j++) query[j] = Noise * Signed(Hash(copy, requestId, ~position, KeyDim + j));
            query[TopicAt(requestId, position, promptTokens)] += At(QueryStrength, layer);
            query[SinkAxis] = At(SinkLogit, layer) + RecencyDecay(layer) * position;
        }

        /// <summary>
        /// The per-group constants are given bottom to top; other numbers of groups spread over them by depth (one group
        /// takes the top's, two the bottom's and the top's), so a model with one group still has sinks.
        /// </summary>
        float At(float[] perLayer, int layer)
        {
            int last = perLayer.Length - 1;
            int index = Layers == 1 ? last : (int)Math.Round(layer * last / (double)(Layers - 1));
            return perLayer[Math.Min(index, last)];
        }

        // splitmix64 steps over the seed and each coordinate in turn: well mixed, the same numbers on every runtime.
        ulong Hash(int copy, long requestId, int position, int component) =>
            Mix(Mix(Mix(Mix(Mix(Seed) ^ (uint)copy) ^ (ulong)requestId) ^ (uint)position) ^ (uint)component);

        static ulong Mix(ulong x) => DeterministicRng.Mix(x);

        static double Unit(ulong bits) => (bits >> 11) * (1.0 / (1UL << 53));

        static float Signed(ulong bits) => (float)(2 * Unit(bits) - 1);
    }
}
