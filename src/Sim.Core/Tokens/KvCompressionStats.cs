using System.Collections.Generic;
using Sim.Core.Metrics;
using Sim.Core.Snapshots;

namespace Sim.Core.Tokens
{
    /// <summary>What token-level compression saved and what it cost in attention mass (summary.json's <c>kv_compression</c>).</summary>
    public sealed class KvCompressionStats : ISnapshotParts
    {
        IEnumerable<object> ISnapshotParts.SnapshotParts
        {
            get { yield return RetainedMass; }
        }

        double _residentTokenSeconds, _fullTokenSeconds, _sequenceSeconds, _iterationSeconds;

        public long TokensEvicted { get; set; }

        /// <summary>Per decode step of each sequence: the share of the full cache's attention mass that resident tokens hold.</summary>
        public LogHistogram RetainedMass { get; } = new LogHistogram(1);

        /// <summary>Share of the full cache's token-seconds that eviction saved.</summary>
        public double MemorySavedFraction => _fullTokenSeconds > 0 ? 1 - _residentTokenSeconds / _fullTokenSeconds : 0;

        /// <summary>Time-weighted mean of the sequences in an iteration, over all replicas' iterations.</summary>
        public double MeanBatchSequences => _iterationSeconds > 0 ? _sequenceSeconds / _iterationSeconds : 0;

        public void AddSequenceIteration(double residentTokens, int fullTokens, double iterationS)
        {
            _residentTokenSeconds += residentTokens * iterationS;
            _fullTokenSeconds += fullTokens * iterationS;
            _sequenceSeconds += iterationS;
        }

        public void AddIteration(double iterationS) => _iterationSeconds += iterationS;
    }
}
