using System;
using Sim.Core.Components;

namespace Sim.Core.Experts
{
    /// <summary>
    /// Bit-nested experts (D2MoE): one simulated layer step's loads and their wait, after the hottest-expert-bit-first
    /// (HEBF) order. First every used expert with no bits resident loads its narrowest width, on demand, before the layer
    /// can compute; then the hottest used experts (most tokens, <see cref="NestedBits.HotShare"/> of them) refine to the
    /// widest width, hottest first, in as much room as the cache can free from the refinement bits of experts the layer does
    /// not use. The
    /// refinements overlap the layer's compute: the other experts compute while they load, and the refined experts
    /// compute once their bits are in, so the layer waits max(0, refinement transfer + refined experts' compute − the
    /// layer's compute). Each expert serves its tokens at the width it then holds.
    /// </summary>
    public sealed partial class MoeReplica
    {
        /// <summary>Loads and serves the layer's used experts; adds its on-demand load time, refinement wait and bytes moved.</summary>
        /// <param name="layerComputeS">The layer's compute, its routed experts included.</param>
        void NestedLayer(int cacheLayer, int layer, double layerComputeS, ref double demandLoadS, ref double refineWaitS, ref double loadedBytes)
        {
            NestedExpertCache cache = _nested!;
            NestedBits bits = _settings.NestedBits!;
            int used = 0;
            for (int e = 0; e < _experts; e++)
                if (_tokensPerExpert[e] > 0)
                {
                    cache.Protect(cacheLayer, e);
                    _order[used++] = e;
                }
            double narrowBytes = 0;
            for (int k = 0; k < used; k++)
            {
                int e = _order[k];
                ref ExpertState state = ref State(layer, e);
                state.TokensRouted += _tokensPerExpert[e];
                if (cache.Level(cacheLayer, e) > 0)
                {
                    state.Hits++;
                    Stats.Hits++;
                    if (_prefetchedNow![e]) Stats.PrefetchesUseful++;
                    continue;
                }
                state.Misses++;
                Stats.Misses++;
                // The cache holds any one layer's experts at the narrowest width, so this load always finds room.
                cache.TryRaise(cacheLayer, e, 1, firstLoad: true, out double bytes);
                narrowBytes += bytes;
                state.Tier = ExpertTier.Hbm;
                NestedEmptied();
            }
            // Hottest first, ties to the lower expert (insertion sort: a few dozen experts).
            for (int k = 1; k < used; k++)
            {
                int e = _order[k], j = k;
                for (; j > 0 && _tokensPerExpert[_order[j - 1]] < _tokensPerExpert[e]; j--) _order[j] = _order[j - 1];
                _order[j] = e;
            }
            Array.Clear(_refinedTokens!, 0, _experts);
            double refineBytes = 0;
            bool refined = false;
            int hot = bits.HotExperts(used);
            for (int k = 0; k < hot; k++)
            {
                int e = _order[k];
                for (int level = cache.Level(cacheLayer, e) + 1; level <= cache.TopLevel; level++)
                {
                    if (!cache.TryRaise(cacheLayer, e, level, firstLoad: false, out double bytes)) break;
                    refineBytes += bytes;
                    _refinedTokens![e] = _tokensPerExpert[e];
                    refined = true;
                    NestedEmptied();
                }
            }
            for (int k = 0; k < used; k++)
            {
                int e = _order[k];
                cache.Touch(cacheLayer, e);
                int level = cache.Level(cacheLayer, e);
                Stats.AddServed(_tokensPerExpert[e], bits.Widths[level - 1], bits.Quality[level - 1]);
            }
            double refinedComputeS = refined ? ExpertComputeS(_refinedTokens!) : 0;
            demandLoadS += narrowBytes / _offloadBytesPerS;
            refineWaitS += Math.Max(0, refineBytes / _offloadBytesPerS + refinedComputeS - layerComputeS);
            loadedBytes += narrowBytes + refineBytes;
        }

        /// <summary>
        /// Cross-layer prefetch with nested bits: while the previous layer computes, the experts predicted for this one
        /// (<see cref="PredictExperts"/>, most predicted tokens first) that hold no bits load their narrowest width, and every
        /// predicted expert is protected for the layer step, until the cache has no room; returns the bytes moved. The layer
        /// step then refines the hot experts as without prefetch.
        /// </summary>
        double NestedPrefetch(int cacheLayer, int layer, StepGate gate, int segment, int sampled, double prefillShare, ulong draw)
        {
            NestedExpertCache cache = _nested!;
            PredictExperts(layer, gate, segment, sampled, prefillShare, draw);
            double bytesMoved = 0;
            for (int k = 0; k < _experts && _predictedTokens[_order[k]] > 0; k++)
            {
                int e = _order[k];
                cache.Protect(cacheLayer, e);
                if (cache.Level(cacheLayer, e) > 0) continue;
                if (!cache.TryRaise(cacheLayer, e, 1, firstLoad: true, out double bytes)) break;
                bytesMoved += bytes;
                _prefetchedNow![e] = true;
                Stats.PrefetchesIssued++;
                State(layer, e).Tier = ExpertTier.Hbm;
                NestedEmptied();
            }
            return bytesMoved;
        }

        /// <summary>Experts the nested cache emptied go back to the offload tier.</summary>
        void NestedEmptied()
        {
            int count = _nested!.TakeEmptied(_emptiedSlots!);
            for (int i = 0; i < count; i++) Evicted(_emptiedSlots![i]);
        }
    }
}
