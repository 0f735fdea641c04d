namespace Sim.Core.Trace
{
    public enum TraceFormat
    {
        /// <summary>Detect from the first line.</summary>
        Auto,

        /// <summary>CSV <c>TIMESTAMP,ContextTokens,GeneratedTokens</c> (Azure LLM inference traces 2023).</summary>
        Azure,

        /// <summary>JSON lines with <c>timestamp</c> (ms), <c>input_length</c>, <c>output_length</c>, <c>hash_ids</c>.</summary>
        Mooncake,

        /// <summary>CSV <c>arrived_at,num_prefill_tokens,num_decode_tokens</c> (seconds).</summary>
        Vidur,
    }
}
