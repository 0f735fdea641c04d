using System;
using Sim.Core.Snapshots;

namespace Sim.Core.Metrics
{
    /// <summary>
    /// World resource: KV utilisation over time. Pages are held for the length of each iteration, so the
    /// time-weighted mean is Σ(used pages × iteration duration) over all iterations / (total pages × makespan);
    /// an idle replica holds no pages. Each replica's iterations are summed apart, in its own order, and the replicas'
    /// sums added in index order: replicas that step in separate worlds (a partitioned run) give the same figure.
    /// </summary>
    public sealed class KvUsage : ISnapshotState
    {
        const double BelowPeak = 1 - 1.0 / (1L << 50);

        // By replica: Σ used pages × iteration duration.
        readonly double[] _usedPageSeconds;

        public KvUsage(long totalPages, int replicas)
        {
            TotalPages = totalPages;
            _usedPageSeconds = new double[replicas];
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
            reader.ReadInto(_usedPageSeconds);
            PeakUtilization = reader.Read<double>();
        }

        public void Add(int replica, int usedPages, int replicaPages, double durationS)
        {
            _usedPageSeconds[replica] += usedPages * durationS;
            // A share under the peak leaves it: told by a product, not a division (most iterations'), its margin of 2^-50 over
            // the two roundings, so used < peak · pages exactly (a replica has pages) and the rounded share cannot pass the peak.
            if (usedPages < PeakUtilization * replicaPages * BelowPeak) return;
            PeakUtilization = Math.Max(PeakUtilization, (double)usedPages / replicaPages);
        }

        public double MeanUtilization(double makespanS)
        {
            double usedPageSeconds = 0;
            foreach (double replicaPageSeconds in _usedPageSeconds) usedPageSeconds += replicaPageSeconds;
            return makespanS > 0 ? usedPageSeconds / (TotalPages * makespanS) : 0;
        }

        /// <summary>Takes the sums and peak of <paramref name="part"/>, whose replicas are this one's from <paramref name="firstReplica"/> on.</summary>
        internal void Absorb(KvUsage part, int firstReplica)
        {
            Array.Copy(part._usedPageSeconds, 0, _usedPageSeconds, firstReplica, part._usedPageSeconds.Length);
            PeakUtilization = Math.Max(PeakUtilization, part.PeakUtilization);
        }
    }
}
