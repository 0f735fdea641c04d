using System;
using System.Collections.Generic;
using Sim.Core.Components;
using Sim.Core.Compute;
using Sim.Core.Ecs;
using Sim.Core.PerfModel;
using Sim.Core.Policies;
using Sim.Core.Snapshots;

namespace Sim.Core.Experts
{
    /// <summary>
    /// MoE mode for one replica. Each iteration a sample of its tokens goes through the gate of a sample of MoE layers
    /// (the backend's top-k kernel over <see cref="ExpertAffinity"/> logits), which stand for all layers; expert loads are
    /// scaled to the iteration's tokens and charged as grouped GEMMs (per GPU under expert parallelism, where the busiest GPU sets the pace,
    /// plus the all-to-all dispatch and combine), in place of the perf model's even spread; experts missing from HBM
    /// are loaded before their layer runs. The experts are entities, their <see cref="ExpertState"/> kept current.
    /// </summary>
    public sealed class MoeReplica : ISnapshotParts
    {
        /// <summary>Expert residency, use counts and prefetches, then the statistics; the experts' states are world entities.</summary>
        IEnumerable<object> ISnapshotParts.SnapshotParts
        {
            get
            {
                yield return _cache;
                yield return Stats;
            }
        }

        readonly ModelSpec _model;
        readonly MoeSettings _settings;
        readonly IComputeBackend _backend;
        readonly RooflinePerfModel _perf;
        readonly ExpertAffinity _affinity;
        readonly ExpertCache _cache;
        readonly ExpertState[][] _stateChunk;
        readonly int[] _stateRow;
        readonly ulong _seed;
        readonly int _experts, _topK, _layers;
        readonly int[] _sampledLayers;
        readonly double _expertLoadS, _linkBytesPerS, _linkLatencyS;
        readonly float[] _logits;
        readonly int[] _chosen, _counts;
        readonly double[] _tokensPerExpert, _gpuTokens;
        readonly long[] _sampleRequest;
        readonly int[] _samplePosition;
        long _iteration;

        public MoeReplica(World world, int replica, ModelSpec model, HardwareSpec hardware, int gpus, MoeSettings settings, IComputeBackend backend, RooflinePerfModel perf, ulong seed)
        {
            if (!model.IsMoe) throw new ArgumentException(model.Id + " has no experts", nameof(model));
            if (settings.ExpertParallel < 1 || settings.ExpertParallel > gpus) throw new ArgumentException("expert parallelism must be 1 to the replica's " + gpus + " GPUs", nameof(settings));
            if (!(settings.PredictorAccuracy >= 0 && settings.PredictorAccuracy <= 1)) throw new ArgumentException("predictor accuracy is a probability", nameof(settings));
            _model = model;
            _settings = settings;
            _backend = backend;
            _perf = perf;
            _seed = seed;
            _experts = model.Experts;
            _topK = model.ExpertsPerToken;
            _layers = model.Layers;
            int sampledLayers = Math.Min(_layers, Math.Max(1, settings.SampleLayers));
            _sampledLayers = new int[sampledLayers];
            for (int i = 0; i < sampledLayers; i++) _sampledLayers[i] = (int)((i + 0.5) * _layers / sampledLayers);
            _affinity = new ExpertAffinity(seed, _layers, _experts, _topK, settings.Skew, settings.Locality);
            _cache = new ExpertCache(_layers, _experts, settings.HbmSlotsPerLayer, settings.Cache);
            // One expert's weights; a TP shard of them per GPU when experts are split TP ways, all of them on one GPU under EP.
            double expertBytes = (model.GatedMlp ? 3.0 : 2.0) * model.HiddenSize * model.ExpertIntermediateSize * model.WeightBytesPerParam;
            double shardBytes = settings.ExpertParallel == 1 ? expertBytes / gpus : expertBytes;
            _expertLoadS = shardBytes / (settings.OffloadToSsd ? hardware.SsdBandwidthBytesPerS : hardware.PcieBandwidthBytesPerS);
            _linkBytesPerS = hardware.InterconnectBandwidthBytesPerS;
            _linkLatencyS = hardware.InterconnectLatencyS;
            _logits = new float[settings.SampleTokens * _experts];
            _chosen = new int[settings.SampleTokens * _topK];
            _counts = new int[_experts];
            _tokensPerExpert = new double[_experts];
            _gpuTokens = new double[_experts];
            _sampleRequest = new long[settings.SampleTokens];
            _samplePosition = new int[settings.SampleTokens];
            _stateChunk = new ExpertState[_layers * _experts][];
            _stateRow = new int[_layers * _experts];
            ExpertTier offload = settings.OffloadToSsd ? ExpertTier.Ssd : ExpertTier.Host;
            for (int layer = 0; layer < _layers; layer++)
                for (int e = 0; e < _experts; e++)
                {
                    Entity expert = world.Create(new ExpertState
                    {
                        Replica = replica, Layer = layer, Index = e,
                        Device = settings.ExpertParallel == 1 ? 0 : e % settings.ExpertParallel,
                        Tier = _cache.IsResident(layer, e) ? ExpertTier.Hbm : offload,
                    });
                    // Experts are permanent: their chunk slots never move, so reading them directly is safe.
                    _stateChunk[layer * _experts + e] = world.ComponentSlot<ExpertState>(expert, out _stateRow[layer * _experts + e]);
                }
        }

        public MoeStats Stats { get; } = new MoeStats();

        ref ExpertState State(int layer, int expert) => ref _stateChunk[layer * _experts + expert][_stateRow[layer * _experts + expert]];

        /// <summary>Seconds to add to the perf model's time for this batch: routed experts as the gate spread them, all-to-all, and expert loads.</summary>
        public double IterationExtraS(SchedulerOutput batch)
        {
            int tokens = Sample(batch);
            if (tokens == 0) return 0;
            int sampled = Math.Min(tokens, _settings.SampleTokens);
            double scale = (double)tokens / sampled;
            double stallS = 0, allToAllS = 0, computeDeltaS = 0;
            ExpertTier offload = _settings.OffloadToSsd ? ExpertTier.Ssd : ExpertTier.Host;
            _iteration++;
            foreach (int layer in _sampledLayers)
            {
                for (int t = 0; t < sampled; t++)
                    _affinity.Logits(_sampleRequest[t], _samplePosition[t], layer, new Span<float>(_logits, t * _experts, _experts));
                Array.Clear(_counts, 0, _experts);
                _backend.GateTopK(_logits, sampled, _experts, _topK, _chosen, _counts);
                _cache.BeginStep();
                if (_settings.Prefetch) PrefetchPredicted(layer, offload);
                int maxCount = 0;
                for (int e = 0; e < _experts; e++)
                {
                    _tokensPerExpert[e] = _counts[e] * scale;
                    maxCount = Math.Max(maxCount, _counts[e]);
                    if (_counts[e] == 0) continue;
                    ref ExpertState state = ref State(layer, e);
                    state.TokensRouted += _tokensPerExpert[e];
                    if (_cache.Use(layer, e, _counts[e], out bool usefulPrefetch))
                    {
                        state.Hits++;
                        Stats.Hits++;
                        if (usefulPrefetch) Stats.PrefetchesUseful++;
                    }
                    else
                    {
                        state.Misses++;
                        Stats.Misses++;
                        stallS += _expertLoadS;
                    }
                    state.Tier = ExpertTier.Hbm;
                }
                UpdateEvictedTiers(layer, offload);
                Stats.AddLayerStep(maxCount / ((double)sampled * _topK / _experts));
                computeDeltaS += ExpertComputeS() - _perf.EvenRoutedExpertsS(tokens);
                allToAllS += AllToAllS(tokens);
            }
            // The sampled layers stand for all of them.
            double layerScale = (double)_layers / _sampledLayers.Length;
            Stats.StallS += stallS * layerScale;
            batch.ExpertLoadS = stallS * layerScale;
            Stats.AllToAllS += allToAllS * layerScale;
            Stats.TokensRouted += (double)tokens * _layers;
            return (stallS + allToAllS + computeDeltaS) * layerScale;
        }

        /// <summary>Picks up to SampleTokens tokens spread evenly over the batch's new tokens; returns the batch's token count.</summary>
        int Sample(SchedulerOutput batch)
        {
            int tokens = 0;
            foreach (ScheduledSequence sequence in batch.Sequences) tokens += sequence.NewTokens;
            int sampled = Math.Min(tokens, _settings.SampleTokens);
            // Sample k is token floor((k + 0.5) x tokens / sampled) of the batch.
            long TokenOf(int k) => (long)((k + 0.5) * tokens / sampled);
            int seen = 0, next = 0;
            foreach (ScheduledSequence sequence in batch.Sequences)
            {
                while (next < sampled && TokenOf(next) < seen + sequence.NewTokens)
                {
                    _sampleRequest[next] = sequence.RequestId;
                    _samplePosition[next] = sequence.ContextTokens + (int)(TokenOf(next) - seen);
                    next++;
                }
                seen += sequence.NewTokens;
            }
            return tokens;
        }

        /// <summary>
        /// Before the layer runs, its predicted experts are loaded (the transfers are taken to hide behind the previous
        /// layer's compute): each expert the gate chose is predicted right with the predictor's accuracy, otherwise a
        /// wrong one is loaded in its place.
        /// </summary>
        void PrefetchPredicted(int layer, ExpertTier offload)
        {
            for (int e = 0; e < _experts; e++)
            {
                if (_counts[e] == 0) continue;
                ulong draw = Mix(Mix(Mix(_seed ^ (ulong)_iteration) ^ (uint)layer) ^ (uint)e);
                int predicted = (draw >> 11) * (1.0 / (1UL << 53)) < _settings.PredictorAccuracy ? e : (int)((e + 1 + (long)(Mix(draw) % (ulong)(_experts - 1))) % _experts);
                if (_cache.Prefetch(layer, predicted))
                {
                    Stats.PrefetchesIssued++;
                    State(layer, predicted).Tier = ExpertTier.Hbm;
                }
            }
            UpdateEvictedTiers(layer, offload);
        }

        void UpdateEvictedTiers(int layer, ExpertTier offload)
        {
            if (_settings.HbmSlotsPerLayer >= _experts) return;
            for (int e = 0; e < _experts; e++)
                if (!_cache.IsResident(layer, e)) State(layer, e).Tier = offload;
        }

        /// <summary>The layer's routed experts: split TP ways on every GPU, or under EP the busiest GPU's experts.</summary>
        double ExpertComputeS()
        {
            int ep = _settings.ExpertParallel;
            if (ep == 1) return _perf.RoutedExpertsS(_tokensPerExpert, splitTensorParallel: true);
            double slowestS = 0;
            for (int gpu = 0; gpu < ep; gpu++)
            {
                Array.Clear(_gpuTokens, 0, _experts);
                for (int e = gpu; e < _experts; e += ep) _gpuTokens[e] = _tokensPerExpert[e];
                slowestS = Math.Max(slowestS, _perf.RoutedExpertsS(_gpuTokens, splitTensorParallel: false));
            }
            return slowestS;
        }

        /// <summary>
        /// Expert parallelism's dispatch and combine: each GPU holds tokens/EP tokens, sends (EP − 1)/EP of their top-k
        /// hidden vectors to the other GPUs and gets as much back, over its link: twice (bytes / bandwidth + one step's latency).
        /// </summary>
        public double AllToAllS(int tokens)
        {
            int ep = _settings.ExpertParallel;
            if (ep == 1) return 0;
            double bytesPerGpu = (double)tokens / ep * _topK * _model.HiddenSize * _model.WeightBytesPerParam * (ep - 1) / ep;
            return 2 * (bytesPerGpu / _linkBytesPerS + _linkLatencyS);
        }

        static ulong Mix(ulong x) => DeterministicRng.Mix(x);
    }
}
