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
        double _servedTokens, _bitTokens, _qualityTokens;

        /// <summary>Iterations (forward passes) run: the index of per-iteration draws.</summary>
        public long Iterations { get; set; }

        /// <summary>Mean over layer steps of the busiest expert's tokens over the mean expert's.</summary>
        public double LoadImbalance => _layerSteps > 0 ? _imbalanceSum / _layerSteps : 0;

        public long Hits { get; set; }

        public long Misses { get; set; }

        public double HitRate => Hits + Misses > 0 ? (double)Hits / (Hits + Misses) : 1;

        public long PrefetchesIssued { get; set; }

        /// <summary>Prefetched experts that a token then used.</summary>
        public long PrefetchesUseful { get; set; }

        /// <summary>Time iterations waited for expert loads: prefetches not hidden behind compute, and loads on demand.</summary>
        public double StallS => PrefetchWaitS + DemandLoadS + RefineWaitS;

        /// <summary>Time prefetch transfers ran past the layer compute they overlap.</summary>
        public double PrefetchWaitS { get; set; }

        /// <summary>Time spent loading used experts that were not resident (misses; with nested bits, their narrowest width).</summary>
        public double DemandLoadS { get; set; }

        /// <summary>Nested bits: time refinements of hot experts ran past the layer compute they overlap.</summary>
        public double RefineWaitS { get; set; }

        /// <summary>Expert bytes moved from the offload tier to HBM (per GPU: one TP shard each under EP = 1).</summary>
        public double BytesLoaded { get; set; }

        /// <summary>Token visits served by an expert (the weights of the two means below).</summary>
        public double ServedTokens => _servedTokens;

        /// <summary>Mean stored bits per weight of the experts that served each token visit.</summary>
        public double BitsPerToken => _servedTokens > 0 ? _bitTokens / _servedTokens : 0;

        /// <summary>The quality proxy: the served widths' relative accuracy, averaged over token visits (1 at the model's precision).</summary>
        public double QualityProxy => _servedTokens > 0 ? _qualityTokens / _servedTokens : 1;

        /// <summary>Uses of an expert at a layer the prefetcher predicts (every layer but the first, with prefetch on).</summary>
        public long PredictableUses { get; set; }

        /// <summary>Of those, uses of an expert the predictor had named.</summary>
        public long PredictedUses { get; set; }

        public double AllToAllS { get; set; }

        /// <summary>An expert served <paramref name="tokens"/> token visits at <paramref name="bits"/> per weight, of that relative <paramref name="quality"/>.</summary>
        public void AddServed(double tokens, double bits, double quality)
        {
            _servedTokens += tokens;
            _bitTokens += tokens * bits;
            _qualityTokens += tokens * quality;
        }

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
            writer.Write(_servedTokens);
            writer.Write(_bitTokens);
            writer.Write(_qualityTokens);
            writer.Write(Iterations);
            writer.Write(Hits);
            writer.Write(Misses);
            writer.Write(PrefetchesIssued);
            writer.Write(PrefetchesUseful);
            writer.Write(PrefetchWaitS);
            writer.Write(DemandLoadS);
            writer.Write(RefineWaitS);
            writer.Write(BytesLoaded);
            writer.Write(PredictableUses);
            writer.Write(PredictedUses);
            writer.Write(AllToAllS);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            TokensRouted = reader.Read<double>();
            _imbalanceSum = reader.Read<double>();
            _layerSteps = reader.Read<long>();
            _servedTokens = reader.Read<double>();
            _bitTokens = reader.Read<double>();
            _qualityTokens = reader.Read<double>();
            Iterations = reader.Read<long>();
            Hits = reader.Read<long>();
            Misses = reader.Read<long>();
            PrefetchesIssued = reader.Read<long>();
            PrefetchesUseful = reader.Read<long>();
            PrefetchWaitS = reader.Read<double>();
            DemandLoadS = reader.Read<double>();
            RefineWaitS = reader.Read<double>();
            BytesLoaded = reader.Read<double>();
            PredictableUses = reader.Read<long>();
            PredictedUses = reader.Read<long>();
            AllToAllS = reader.Read<double>();
        }
    }
}
