using Sim.Core.Metrics;
using Sim.Core.Snapshots;

namespace Sim.Core.Tokens
{
    /// <summary>What token-level compression saved and what it cost in attention mass (summary.json's <c>kv_compression</c>).</summary>
    public sealed class KvCompressionStats : ISnapshotState
    {

        double _residentTokenSeconds, _fullTokenSeconds, _heldPageSeconds, _fullPageSeconds, _sequenceSeconds, _iterationSeconds;

        public long TokensEvicted { get; set; }

        void ISnapshotState.Save(SnapshotWriter writer)
        {
            writer.Write(_residentTokenSeconds);
            writer.Write(_fullTokenSeconds);
            writer.Write(_heldPageSeconds);
            writer.Write(_fullPageSeconds);
            writer.Write(_sequenceSeconds);
            writer.Write(_iterationSeconds);
            writer.Write(TokensEvicted);
            ((ISnapshotState)RetainedMass).Save(writer);
            ((ISnapshotState)OutputError).Save(writer);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            _residentTokenSeconds = reader.Read<double>();
            _fullTokenSeconds = reader.Read<double>();
            _heldPageSeconds = reader.Read<double>();
            _fullPageSeconds = reader.Read<double>();
            _sequenceSeconds = reader.Read<double>();
            _iterationSeconds = reader.Read<double>();
            TokensEvicted = reader.Read<long>();
            ((ISnapshotState)RetainedMass).Load(reader);
            ((ISnapshotState)OutputError).Load(reader);
        }

        /// <summary>Per decode step of each sequence: the share of the full cache's attention mass that resident tokens hold.</summary>
        public LogHistogram RetainedMass { get; } = new LogHistogram(1);

        /// <summary>Per decode step of each sequence: ‖o_full − o_kept‖, the attention output's error with the synthetic values, averaged over copies.</summary>
        public LogHistogram OutputError { get; } = new LogHistogram(100);

        /// <summary>Share of the full cache's page-seconds that eviction saved: a page frees only when every token on it, in every copy, has gone.</summary>
        public double MemorySavedFraction => _fullPageSeconds > 0 ? 1 - _heldPageSeconds / _fullPageSeconds : 0;

        /// <summary>Share of the full cache's token-seconds that eviction saved (a low-precision token counts at its share of the bytes).</summary>
        public double TokenMemorySavedFraction => _fullTokenSeconds > 0 ? 1 - _residentTokenSeconds / _fullTokenSeconds : 0;

        /// <summary>Time-weighted mean of the sequences in an iteration, over all replicas' iterations.</summary>
        public double MeanBatchSequences => _iterationSeconds > 0 ? _sequenceSeconds / _iterationSeconds : 0;

        public void AddSequenceIteration(double residentTokens, int fullTokens, int heldPages, int fullPages, double iterationS)
        {
            _residentTokenSeconds += residentTokens * iterationS;
            _fullTokenSeconds += fullTokens * iterationS;
            _heldPageSeconds += heldPages * iterationS;
            _fullPageSeconds += fullPages * iterationS;
            _sequenceSeconds += iterationS;
        }

        public void AddIteration(double iterationS) => _iterationSeconds += iterationS;
    }
}
