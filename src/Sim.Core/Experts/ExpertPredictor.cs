using System;

namespace Sim.Core.Experts
{
    /// <summary>
    /// The prefetcher's guess of a layer's experts, after Fate's cross-layer gate (the previous layer's gate input fed
    /// to this layer's gate). Hidden states are not simulated, so the guess is drawn from the true routing: each of a
    /// token's top-k experts is named with the layer's accuracy, otherwise the best-scoring expert outside its top-k
    /// (the next not yet named) is named in its place, as a gate fed a slightly different input errs to near misses.
    /// The accuracy rises linearly from <c>predictor_accuracy − predictor_shallow_drop</c> at the second MoE layer to
    /// <c>predictor_accuracy</c> at the last, and prefill tokens lose <c>predictor_prefill_drop</c>; the first MoE
    /// layer has no previous gate and is not predicted.
    /// </summary>
    public sealed class ExpertPredictor
    {
        readonly double _accuracy, _shallowDrop, _prefillDrop;
        readonly int _layers, _experts, _topK;

        public ExpertPredictor(int layers, int experts, int topK, double accuracy, double shallowDrop, double prefillDrop)
        {
            _layers = layers;
            _experts = experts;
            _topK = topK;
            _accuracy = accuracy;
            _shallowDrop = shallowDrop;
            _prefillDrop = prefillDrop;
        }

        /// <summary>Chance each of a token's experts at <paramref name="layer"/> is predicted; 0 at the first layer.</summary>
        public double Accuracy(int layer, bool prefill)
        {
            if (layer == 0) return 0;
            double shallowness = _layers <= 2 ? 0 : (double)(_layers - 1 - layer) / (_layers - 2);
            double accuracy = _accuracy - _shallowDrop * shallowness - (prefill ? _prefillDrop : 0);
            return Math.Max(0, Math.Min(1, accuracy));
        }

        /// <summary>
        /// Adds one token's k predicted experts to <paramref name="predictedTokens"/> (one count each).
        /// </summary>
        /// <param name="logits">The token's router logits at the layer.</param>
        /// <param name="chosen">Its top-k experts.</param>
        /// <param name="draw">A hash unique to the token, layer and iteration.</param>
        public void PredictToken(ReadOnlySpan<float> logits, ReadOnlySpan<int> chosen, double accuracy, ulong draw, Span<double> predictedTokens)
        {
            Span<bool> named = stackalloc bool[_experts];
            for (int j = 0; j < _topK; j++) named[chosen[j]] = true;
            for (int j = 0; j < _topK; j++)
            {
                double u = (DeterministicRng.Mix(draw + (ulong)j) >> 11) * (1.0 / (1UL << 53));
                if (u < accuracy)
                {
                    predictedTokens[chosen[j]]++;
                    continue;
                }
                int nearMiss = -1;
                for (int e = 0; e < _experts; e++)
                    if (!named[e] && (nearMiss < 0 || logits[e] > logits[nearMiss])) nearMiss = e;
                if (nearMiss < 0) continue;
                named[nearMiss] = true;
                predictedTokens[nearMiss]++;
            }
        }
    }
}
