using System;
using Sim.Core.Snapshots;

namespace Sim.Core.Metrics
{
    /// <summary>
    /// World resource: KV utilisation over time. Pages are held for the length of each iteration, so the
    /// time-weighted mean is Σ(used pages × iteration duration) over all iterations / (total pages × makespan);
    /// an idle replica holds no pages.
    /// </summary>
    public sealed class KvUsage : ISnapshotState
    {
        const double BelowPeak = 1 - 1.0 / (1L << 50);

        double _usedPageSeconds;

        public KvUsage(long totalPages)
        {
            TotalPages = totalPages;
        }

        /// <summary>Pages of all replicas together.</summary>
        public long TotalPages { get; }

        /// <summary>Largest used share of one replica's pages at any iteration.</summary>
        public double PeakUtilization { get; private set; }

        void ISnapshotState.Save(SnapshotWriter writer)
        {
            writer.Write(_usedPageSeconds);
            writer.Write(PeakUtilization);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            _usedPageSeconds = reader.Read<double>();
            PeakUtilization = reader.Read<double>();
        }

        public void Add(int usedPages, int replicaPages, double durationS)
        {
            _usedPageSeconds += usedPages * durationS;
            // A share under the peak leaves it: told by a product, not a division (most iterations'), its margin of 2^-50 over
            // the two roundings, so used < peak · pages exactly (a replica has pages) and the rounded share cannot pass the peak.
            if (usedPages < PeakUtilization * replicaPages * BelowPeak) return;
            PeakUtilization = Math.Max(PeakUtilization, (double)usedPages / replicaPages);
        }

        public double MeanUtilization(double makespanS) => makespanS > 0 ? _usedPageSeconds / (TotalPages * makespanS) : 0;
    }
}
