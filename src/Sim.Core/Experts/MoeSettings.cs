namespace Sim.Core.Experts
{
    /// <summary>MoE mode (<c>moe:</c> in a scene of an MoE model): how tokens pick experts, where experts live, how they are cached.</summary>
    public sealed class MoeSettings
    {
        /// <summary>GPUs of the replica the experts are spread over (expert e on GPU e mod EP); 1 keeps every expert on every GPU, split TP ways.</summary>
        public int ExpertParallel { get; set; } = 1;

        /// <summary>Experts of a layer resident in HBM at once; the rest wait in the offload tier. At least the experts: no offload.</summary>
        public int HbmSlotsPerLayer { get; set; } = int.MaxValue;

        public ExpertCachePolicy Cache { get; set; } = ExpertCachePolicy.Lru;

        /// <summary>Offloaded experts live on SSD rather than in host DRAM.</summary>
        public bool OffloadToSsd { get; set; }

        /// <summary>Load the experts predicted for the next layer while this one computes (Fate's cross-layer prefetch).</summary>
        public bool Prefetch { get; set; }

        /// <summary>Chance the predictor names each expert a decode token uses at the last layer (see <see cref="ExpertPredictor"/>).</summary>
        public double PredictorAccuracy { get; set; } = 0.9;

        /// <summary>How much less accurate the prediction is at the second MoE layer than at the last (linear in between).</summary>
        public double PredictorShallowDrop { get; set; } = 0.1;

        /// <summary>How much less accurate the prediction is for prefill tokens than for decode tokens.</summary>
        public double PredictorPrefillDrop { get; set; } = 0.05;

        /// <summary>Zipf exponent of expert popularity within a layer (0: uniform).</summary>
        public double Skew { get; set; }

        /// <summary>Chance a token picks its sequence's usual experts for the layer (temporal locality).</summary>
        public double Locality { get; set; }

        /// <summary>Tokens of each iteration routed through the gate; the rest are added analytically (<see cref="ExpertsTouched"/>).</summary>
        public int SampleTokens { get; set; } = 8;

        /// <summary>MoE layers simulated each iteration, evenly spaced; their costs stand for all layers (scaled by layers / sampled).</summary>
        public int SampleLayers { get; set; } = 4;

        /// <summary>Experts stored as nested bit widths (D2MoE) in a cache counting bytes; null: whole experts at the model's precision.</summary>
        public NestedBits? NestedBits { get; set; }
    }

    public enum ExpertCachePolicy
    {
        /// <summary>Evict the expert used least recently.</summary>
        Lru,

        /// <summary>Evict the expert used by the fewest tokens so far.</summary>
        Lfu,
    }
}
