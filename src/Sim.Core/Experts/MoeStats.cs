using Sim.Core.Snapshots;

namespace Sim.Core.Experts
{
    /// <summary>MoE mode's totals over a run, for summary.json's <c>moe</c>.</summary>
    public sealed class MoeStats : ISnapshotState
    {
        /// <summary>Token visits to MoE layers (tokens × MoE layers), each routed to top-k experts.</summary>
        public double TokensRouted { get; set; }

        double _imbalanceSum;
        long _layerSteps;

        /// <summary>Mean over layer steps of the busiest expert's tokens over the mean expert's.</summary>
        public double LoadImbalance => _layerSteps > 0 ? _imbalanceSum / _layerSteps : 0;

        public long Hits { get; set; }

        public long Misses { get; set; }

        public double HitRate => Hits + Misses > 0 ? (double)Hits / (Hits + Misses) : 1;

        public long PrefetchesIssued { get; set; }

        /// <summary>Prefetched experts that a token then used.</summary>
        public long PrefetchesUseful { get; set; }

        /// <summary>Time iterations waited for expert loads: prefetches not hidden behind compute, and loads on demand.</summary>
        public double StallS => PrefetchWaitS + DemandLoadS;

        /// <summary>Time prefetch transfers ran past the layer compute they overlap.</summary>
        public double PrefetchWaitS { get; set; }

        /// <summary>Time spent loading used experts that were not resident (misses).</summary>
        public double DemandLoadS { get; set; }

        /// <summary>Uses of an expert at a layer the prefetcher predicts (every layer but the first, with prefetch on).</summary>
        public long PredictableUses { get; set; }

        /// <summary>Of those, uses of an expert the predictor had named.</summary>
        public long PredictedUses { get; set; }

        public double AllToAllS { get; set; }

        public void AddLayerStep(double imbalance)
        {
            _imbalanceSum += imbalance;
            _layerSteps++;
        }

        void ISnapshotState.Save(SnapshotWriter writer)
        {
            writer.Write(TokensRouted);
            writer.Write(_imbalanceSum);
            writer.Write(_layerSteps);
            writer.Write(Hits);
            writer.Write(Misses);
            writer.Write(PrefetchesIssued);
            writer.Write(PrefetchesUseful);
            writer.Write(PrefetchWaitS);
            writer.Write(DemandLoadS);
            writer.Write(PredictableUses);
            writer.Write(PredictedUses);
            writer.Write(AllToAllS);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            TokensRouted = reader.Read<double>();
            _imbalanceSum = reader.Read<double>();
            _layerSteps = reader.Read<long>();
            Hits = reader.Read<long>();
            Misses = reader.Read<long>();
            PrefetchesIssued = reader.Read<long>();
            PrefetchesUseful = reader.Read<long>();
            PrefetchWaitS = reader.Read<double>();
            DemandLoadS = reader.Read<double>();
            PredictableUses = reader.Read<long>();
            PredictedUses = reader.Read<long>();
            AllToAllS = reader.Read<double>();
        }
    }
}
