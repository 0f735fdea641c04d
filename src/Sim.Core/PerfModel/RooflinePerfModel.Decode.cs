using System;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
#endif

namespace Sim.Core.PerfModel
{
    /// <summary>
    /// The roofline's price of a batch of decodes alone: every operator but decode attention, and everything outside the layers,
    /// depends on the number of sequences alone, and so do decode attention's terms but its KV reads; those are worked out once
    /// per batch size, and each batch adds them in the order <see cref="IterationTimeS"/> does, so the sum is the very same.
    /// </summary>
    public sealed partial class RooflinePerfModel
    {
        /// <summary>What a decode batch of one size costs but for its KV reads, in the terms and the order of the operator sum.</summary>
        sealed class DecodeTerms
        {
            // Σ of the layer's operators before decode attention, summed in order from 0.
            public double BeforeAttentionS;
            // The layer's operators after decode attention, in order.
            public double[] AfterAttentionS = Array.Empty<double>();
            // Whether decode attention is bound by its KV reads at every KV length: its maximum is then the reads' time.
            public bool ReadsBound;
            // Decode attention: 4 · heads · head_dim FLOPs and kv_elements · bytes per tiled KV token, the queries' reads and
            // writes (2 · sequences · heads · head_dim elements), the rates, the kernel floor and the per-sequence cost.
            public double FlopsPerTiledKvToken;
            public double KvElementsPerToken;
            public double QueryElements;
            public double FlopsPerS;
            public double BytesPerS;
            public double FloorS;
            public double PerSequencesS;
            public double OutsideLayersS;
        }

        // Per decode batch size, its terms (built at its first batch).
        readonly SizeMemo<DecodeTerms> _decodeTerms = new SizeMemo<DecodeTerms>();

        public int DecodeKvTile => _eff.AttentionDecodeKvTile;

        public double DecodeBatchS(int sequences, double kvTokens, double tiledKvTokens) => DecodeIterationS(sequences, tiledKvTokens);

        /// <summary>
        /// <see cref="IterationTimeS"/> of <paramref name="sequences"/> decodes alone whose keys, each rounded up to whole decode KV
        /// tiles, sum to <paramref name="tiledKvTokens"/> (decode attention reads no other sum): <see cref="AttentionDecodeS"/> and
        /// the layer sum from the size's terms, each product and sum as there.
        /// </summary>
        double DecodeIterationS(int sequences, double tiledKvTokens)
        {
            DecodeTerms terms = DecodeTermsOf(sequences);
            double flops = terms.FlopsPerTiledKvToken * tiledKvTokens;
            double bytes = Bytes * (tiledKvTokens * terms.KvElementsPerToken + terms.QueryElements);
            double readsS = bytes / terms.BytesPerS;
            double attentionS = (terms.ReadsBound ? readsS : Math.Max(flops / terms.FlopsPerS, readsS)) + terms.FloorS + terms.PerSequencesS;
            double layerS = terms.BeforeAttentionS + attentionS;
            foreach (double opS in terms.AfterAttentionS) layerS += opS;
            return _model.Layers * layerS + terms.OutsideLayersS;
        }

        /// <summary>
        /// <see cref="DecodeIterationS"/> of the batches of a run (IPricesDecodeRuns). Where decode attention is bound by its reads
        /// (its usual side), four batches take one pass of 4-wide arithmetic: the same products, quotient and sums in the same
        /// order, each lane rounded as the scalar double is.
        /// </summary>
        public void DecodeRunS(int sequences, long kvTokens, Span<double> seconds)
        {
            DecodeTerms terms = DecodeTermsOf(sequences);
#if NET8_0_OR_GREATER
            if (terms.ReadsBound && seconds.Length == Vector256<double>.Count && Vector256.IsHardwareAccelerated)
            {
                Vector256<double> tiled = Vector256.Create((double)kvTokens, kvTokens + sequences, kvTokens + 2L * sequences, kvTokens + 3L * sequences);
                Vector256<double> bytes = Vector256.Create(Bytes) * (tiled * Vector256.Create(terms.KvElementsPerToken) + Vector256.Create(terms.QueryElements));
                Vector256<double> attentionS = bytes / Vector256.Create(terms.BytesPerS) + Vector256.Create(terms.FloorS) + Vector256.Create(terms.PerSequencesS);
                Vector256<double> layerS = Vector256.Create(terms.BeforeAttentionS) + attentionS;
                foreach (double opS in terms.AfterAttentionS) layerS += Vector256.Create(opS);
                (Vector256.Create((double)_model.Layers) * layerS + Vector256.Create(terms.OutsideLayersS)).CopyTo(seconds);
                return;
            }
#endif
            for (int k = 0; k < seconds.Length; k++) seconds[k] = DecodeIterationS(sequences, kvTokens + (long)k * sequences);
        }

        /// <summary>
        /// Whether, for every tiled KV length t, the rounded FLOPs time (a·t)/F is at most the rounded reads time
        /// (Bytes·(t·k + q))/B: true when a/F, as computed, is below Bytes·k/B, as computed, by a margin of 2^-40, far more than
        /// the few roundings of each side (each at most 2^-53 relative; q only adds reads).
        /// </summary>
        bool ReadsBound(DecodeTerms terms)
        {
            double flopsPerToken = terms.FlopsPerTiledKvToken / terms.FlopsPerS;
            double readsPerToken = Bytes * terms.KvElementsPerToken / terms.BytesPerS;
            return flopsPerToken >= 0 && flopsPerToken * (1 + 1.0 / (1L << 40)) < readsPerToken && !double.IsInfinity(readsPerToken);
        }

        // The kept terms, a look-up small enough to inline into every decode batch's price; a new size's are built aside.
        DecodeTerms DecodeTermsOf(int sequences) =>
            _decodeTerms.Find(sequences) ?? NewDecodeTerms(sequences);

        DecodeTerms NewDecodeTerms(int sequences)
        {
            BatchShape shape = BatchShape.Decodes(sequences, sequences, sequences);
            var terms = new DecodeTerms
            {
                AfterAttentionS = new double[_operatorCount - AttnDecode - 1],
                FlopsPerTiledKvToken = 4 * HeadsPerGpu * _model.HeadDim,
                KvElementsPerToken = _model.KvElementsPerTokenPerLayer * KvHeadsPerGpu / _model.KvHeads,
                QueryElements = 2 * sequences * HeadsPerGpu * _model.HeadDim,
                FlopsPerS = _gpu.PeakFp16Flops * _eff.AttentionCompute,
                BytesPerS = _gpu.MemoryBandwidthBytesPerS * _eff.AttentionMemory,
                FloorS = _eff.AttentionDecodeFloorS,
                PerSequencesS = sequences * _eff.AttentionDecodePerSequenceS,
                OutsideLayersS = OutsideLayersS(shape),
            };
            double beforeS = 0;
            for (int op = 0; op < AttnDecode; op++) beforeS += OperatorS(op, shape);
            terms.BeforeAttentionS = beforeS;
            for (int op = AttnDecode + 1; op < _operatorCount; op++) terms.AfterAttentionS[op - AttnDecode - 1] = OperatorS(op, shape);
            terms.ReadsBound = ReadsBound(terms);
            return _decodeTerms.Keep(sequences, terms);
        }
    }
}
