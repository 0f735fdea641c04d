using Sim.Core.Scenes;

namespace Sim.Core.Pipeline
{
    /// <summary>The largest request a replica can serve: prompt plus output within the model's context and the KV capacity.</summary>
    public sealed class RequestLimits
    {
        public RequestLimits(int maxContextTokens, long kvCapacityTokens, OversizePolicy oversize)
        {
            MaxContextTokens = maxContextTokens;
            KvCapacityTokens = kvCapacityTokens;
            Oversize = oversize;
        }

        public int MaxContextTokens { get; }

        public long KvCapacityTokens { get; }

        public OversizePolicy Oversize { get; }

        /// <summary>Prompt plus output tokens a request may have. Bounding by the KV capacity means a lone request always fits, so preemption cannot loop.</summary>
        public int MaxTotalTokens => (int)System.Math.Min(MaxContextTokens, KvCapacityTokens);

        /// <summary>
        /// Whether a request of <paramref name="promptTokens"/> and <paramref name="outputTokens"/> is served: it fits, or the
        /// oversize policy truncates it and its prompt leaves room for one output token. Under <c>error</c> an oversize one is not.
        /// </summary>
        public bool Serves(int promptTokens, int outputTokens) =>
            (long)promptTokens + outputTokens <= MaxTotalTokens || (Oversize == OversizePolicy.Truncate && promptTokens < MaxTotalTokens);
    }
}
