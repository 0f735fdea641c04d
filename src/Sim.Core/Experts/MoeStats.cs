namespace Sim.Core.Experts
{
    /// <summary>MoE mode's totals over a run, for summary.json's <c>moe</c>.</summary>
    public sealed class MoeStats
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

        /// <summary>Time iterations waited for experts loaded on a miss.</summary>
        public double StallS { get; set; }

        public double AllToAllS { get; set; }

        public void AddLayerStep(double imbalance)
        {
            _imbalanceSum += imbalance;
            _layerSteps++;
        }
    }
}
