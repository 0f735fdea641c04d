namespace Sim.Core.Components
{
    /// <summary>
    /// Disaggregated clusters: a request whose prompt KV is crossing the link from its prefill replica to the decode
    /// pool. <c>HandOffSystem</c> adds it when the transfer starts; <c>DecodeRouteSystem</c> routes the request once the
    /// clock reaches <see cref="ReadyS"/> and removes it.
    /// </summary>
    public struct KvLanding
    {
        /// <summary>When the last byte of the KV arrives at the decode pool.</summary>
        public double ReadyS;
    }
}
