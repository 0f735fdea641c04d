namespace Sim.Core.Metrics
{
    /// <summary>summary.json's <c>kv_compression</c>: what token-level eviction saved, and the attention mass it kept.</summary>
    public sealed class KvCompressionSummary
    {
        public string Policy { get; set; } = "";

        public long TokensEvicted { get; set; }

        /// <summary>1 - page-seconds held / the page-seconds a full cache would have held (a page frees once all its tokens, in every copy, are gone).</summary>
        public double MemorySavedFraction { get; set; }

        /// <summary>1 - resident token-seconds / the token-seconds a full cache would have held.</summary>
        public double TokenMemorySavedFraction { get; set; }

        /// <summary>Time-weighted mean number of sequences in an iteration: the batch the saved memory allowed.</summary>
        public double MeanBatchSequences { get; set; }

        /// <summary>Per decode step: the share of the full cache's softmax mass on resident tokens; mean and 1st percentile.</summary>
        public double AttentionMassRetainedMean { get; set; }

        public double AttentionMassRetainedP1 { get; set; }

        /// <summary>Per decode step: ‖o_full − o_kept‖ of the attention output with the synthetic values (averaged over copies); mean and 99th percentile.</summary>
        public double OutputErrorMean { get; set; }

        public double OutputErrorP99 { get; set; }
    }
}
