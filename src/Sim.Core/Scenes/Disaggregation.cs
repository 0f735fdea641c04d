namespace Sim.Core.Scenes
{
    /// <summary>
    /// Prefill/decode disaggregation (<c>cluster.disaggregation</c>, as in DistServe, Splitwise and Mooncake): prompts
    /// run on the prefill pool, which produces the first token; the prompt's KV then crosses the link to a decode
    /// replica, which generates the rest. Each transfer gets the link's whole bandwidth.
    /// </summary>
    public sealed class Disaggregation
    {
        public ReplicaPool Prefill { get; set; } = null!;

        public ReplicaPool Decode { get; set; } = null!;

        /// <summary>Bandwidth of the link one KV transfer crosses (e.g. 400 Gb/s InfiniBand: 50 GB/s).</summary>
        public double LinkBytesPerS { get; set; } = 50e9;

        public double LinkLatencyS { get; set; } = 10e-6;

        /// <summary>Router that picks the decode replica of a handed-off request.</summary>
        public string DecodeRouter { get; set; } = "least-loaded";
    }
}
