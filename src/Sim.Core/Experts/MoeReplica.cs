using System;
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
    /// (the backend's top-k kernel over <see cref="ExpertAffinity"/> logits, one step with every replica's:
    /// <see cref="StepGate"/>), which stand for all layers; the other tokens
    /// are added analytically (<see cref="ExpertsTouched"/>). Experts' tokens are charged as grouped GEMMs (per GPU under
    /// expert parallelism, where the busiest GPU sets the pace, plus the all-to-all dispatch and combine), in place of the
    /// perf model's even spread. Experts missing from HBM (<see cref="ExpertCache"/>) are prefetched as predicted
    /// (<see cref="ExpertPredictor"/>) while the previous layer computes, or loaded on demand; the link's time beyond
    /// that compute is stall. With nested bits the cache counts bytes instead (<see cref="NestedExpertCache"/>, D2MoE).
    /// The experts are entities, their <see cref="ExpertState"/> kept current.
    /// </summary>
    public sealed partial class MoeReplica : ISnapshotState
    {
        /// <summary>
        /// Expert residency, use counts and prefetches, then the statistics; the experts' states are world entities, and
        /// the other arrays here are one iteration's scratch.
        /// </summary>
        void ISnapshotState.Save(SnapshotWriter writer)
        {
            if (_cache != null) ((ISnapshotState)_cache).Save(writer);
            else ((ISnapshotState)_nested!).Save(writer);
            ((ISnapshotState)Stats).Save(writer);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            if (_cache != null) ((ISnapshotState)_cache).Load(reader);
            else ((ISnapshotState)_nested!).Load(reader);
            ((ISnapshotState)Stats).Load(reader);
        }

        readonly ModelSpec _model;
        readonly MoeSettings _settings;
        readonly RooflinePerfModel _perf;
        readonly ExpertAffinity _affinity;
        readonly ExpertsTouched _touched;
        readonly ExpertPredictor _predictor;
        readonly ExpertCache? _cache;
        readonly NestedExpertCache? _nested;
        readonly World _world;
        readonly Entity[] _expertEntities;
        readonly ulong _seed;
        readonly int _experts, _topK, _layers;
        readonly int[] _sampledLayers;
        readonly double _expertLoadS, _shardBytes, _offloadBytesPerS, _linkBytesPerS, _linkLatencyS;
        readonly ExpertTier _offload;
        readonly int[] _missing, _order;
        readonly double[] _tokensPerExpert, _restTokens, _predictedTokens, _gpuTokens;
        readonly double[]? _refinedTokens;
        readonly int[]? _emptiedSlots;
        readonly bool[]? _prefetchedNow;
        readonly long[] _sampleRequest;
        readonly int[] _samplePosition;
        readonly bool[] _samplePrefill;
        // The iteration planned on the step's gate: its batch's tokens, their prefill tokens, its first segment.
        int _plannedTokens, _plannedPrefillTokens, _firstSegment;

        public MoeReplica(World world, int replica, ModelSpec model, HardwareSpec hardware, int gpus, MoeSettings settings, IComputeBackend backend, RooflinePerfModel perf, ulong seed)
        {
            if (!model.IsMoe) throw new ArgumentException(model.Id + " has no experts", nameof(model));
            if (settings.ExpertParallel < 1 || settings.ExpertParallel > gpus) throw new ArgumentException("expert parallelism must be 1 to the replica's " + gpus + " GPUs", nameof(settings));
            if (!(settings.PredictorAccuracy >= 0 && settings.PredictorAccuracy <= 1)) throw new ArgumentException("predictor accuracy is a probability", nameof(settings));
            _model = model;
            _settings = settings;
            _perf = perf;
            _seed = seed;
            _experts = model.Experts;
            _topK = model.ExpertsPerToken;
            _layers = model.Layers;
            int sampledLayers = Math.Min(_layers, Math.Max(1, settings.SampleLayers));
            _sampledLayers = new int[sampledLayers];
            for (int i = 0; i < sampledLayers; i++) _sampledLayers[i] = (int)((i + 0.5) * _layers / sampledLayers);
            _affinity = new ExpertAffinity(seed, _layers, _experts, _topK, settings.Skew, settings.Locality);
            _touched = new ExpertsTouched(_affinity, _sampledLayers, _experts, _topK, backend, seed);
            _predictor = new ExpertPredictor(_layers, _experts, _topK, settings.PredictorAccuracy, settings.PredictorShallowDrop, settings.PredictorPrefillDrop);
            // One expert's weights; a TP shard of them per GPU when experts are split TP ways, all of them on one GPU under EP.
            double expertBytes = (model.GatedMlp ? 3.0 : 2.0) * model.HiddenSize * model.ExpertIntermediateSize * model.WeightBytesPerParam;
            _shardBytes = settings.ExpertParallel == 1 ? expertBytes / gpus : expertBytes;
            _offloadBytesPerS = settings.OffloadToSsd ? hardware.SsdBandwidthBytesPerS : hardware.PcieBandwidthBytesPerS;
            _expertLoadS = _shardBytes / _offloadBytesPerS;
            if (settings.NestedBits == null) _cache = new ExpertCache(sampledLayers, _experts, settings.HbmSlotsPerLayer, settings.Cache);
            else
            {
                // As many bytes as the slots hold experts at the model's own precision: equal cache bytes either way.
                double capacityBytes = (double)Math.Min(settings.HbmSlotsPerLayer, _experts) * sampledLayers * _shardBytes;
                _nested = new NestedExpertCache(sampledLayers, _experts, settings.NestedBits.LevelBytes(_shardBytes, model.WeightBytesPerParam * 8), capacityBytes);
                _refinedTokens = new double[_experts];
                _emptiedSlots = new int[sampledLayers * _experts];
                _prefetchedNow = new bool[_experts];
            }
            _linkBytesPerS = hardware.InterconnectBandwidthBytesPerS;
            _linkLatencyS = hardware.InterconnectLatencyS;
            _offload = settings.OffloadToSsd ? ExpertTier.Ssd : ExpertTier.Host;
            _missing = new int[_experts];
            _order = new int[_experts];
            _tokensPerExpert = new double[_experts];
            _restTokens = new double[_experts];
            _predictedTokens = new double[_experts];
            _gpuTokens = new double[_experts];
            _sampleRequest = new long[settings.SampleTokens];
            _samplePosition = new int[settings.SampleTokens];
            _samplePrefill = new bool[settings.SampleTokens];
            _world = world;
            _expertEntities = new Entity[_layers * _experts];
            int[] cacheLayer = new int[_layers];
            for (int layer = 0; layer < _layers; layer++) cacheLayer[layer] = -1;
            for (int i = 0; i < sampledLayers; i++) cacheLayer[_sampledLayers[i]] = i;
            for (int layer = 0; layer < _layers; layer++)
                for (int e = 0; e < _experts; e++)
                {
                    // Layers not simulated keep the layout the simulated ones start with (the nested cache starts empty).
                    bool resident = _cache != null && (cacheLayer[layer] >= 0 ? _cache.IsResident(cacheLayer[layer], e) : e < settings.HbmSlotsPerLayer);
                    _expertEntities[layer * _experts + e] = world.Create(new ExpertState
                    {
                        Replica = replica, Layer = layer, Index = e,
                        Device = settings.ExpertParallel == 1 ? 0 : e % settings.ExpertParallel,
                        Tier = resident ? ExpertTier.Hbm : _offload,
                    });
                }
        }

        public MoeStats Stats { get; } = new MoeStats();

        ref ExpertState State(int layer, int expert) => ref _world.Get<ExpertState>(_expertEntities[layer * _experts + expert]);

        /// <summary>Experts of each MoE layer.</summary>
        public int Experts => _experts;

        /// <summary>Experts each token picks.</summary>
        public int TopK => _topK;

        /// <summary>Sampled tokens this replica's iterations send through the gate at most: a sample for every sampled layer.</summary>
        public int GateTokensPerStep => _settings.SampleTokens * _sampledLayers.Length;

        /// <summary>Gate segments this replica's iterations use at most: one a sampled layer.</summary>
        public int GateSegmentsPerStep => _sampledLayers.Length;

        /// <summary>Whether applying an iteration reads each sampled token's choices (the prefetch predictor), not only the loads.</summary>
        public bool ReadsGateChoices => _settings.Prefetch;

        /// <summary>
        /// The first half of an iteration's MoE cost: samples the batch's tokens and plans their logits on
        /// <paramref name="gate"/>, a segment per sampled layer, for the step's one gate pass over every replica.
        /// </summary>
        public void PlanGate(SchedulerOutput batch, StepGate gate)
        {
            _plannedTokens = Sample(batch, out _plannedPrefillTokens);
            if (_plannedTokens == 0) return;
            int sampled = Math.Min(_plannedTokens, _settings.SampleTokens);
            for (int i = 0; i < _sampledLayers.Length; i++)
            {
                int segment = gate.Add(sampled);
                if (i == 0) _firstSegment = segment;
                Span<float> logits = gate.Logits(segment);
                for (int t = 0; t < sampled; t++)
                    _affinity.Logits(_sampleRequest[t], _samplePosition[t], _sampledLayers[i], logits.Slice(t * _experts, _experts));
            }
        }

        /// <summary>
        /// The second half, once the gate has run: seconds to add to the perf model's time for the batch planned last
        /// (<see cref="PlanGate"/>): routed experts as the gate spread them, all-to-all, and
        /// the wait for expert loads. Per simulated layer: its prefetch, issued while the previous layer computed, waits
        /// max(0, prefetched × load time − one layer's compute); each used expert still missing is then loaded on demand.
        /// </summary>
        /// <param name="baseS">The perf model's time for the batch, experts spread evenly: a layer's compute is its share.</param>
        public double ApplyGate(StepGate gate, double baseS, out double expertLoadS)
        {
            int tokens = _plannedTokens, prefillTokens = _plannedPrefillTokens;
            expertLoadS = 0;
            if (tokens == 0) return 0;
            int sampled = Math.Min(tokens, _settings.SampleTokens);
            double prefillShare = (double)prefillTokens / tokens;
            double evenExpertsS = _perf.EvenRoutedExpertsS(tokens);
            double layerOutsideExpertsS = baseS / _layers - evenExpertsS;
            double prefetchWaitS = 0, demandLoadS = 0, refineWaitS = 0, loadedBytes = 0, allToAllS = 0, computeDeltaS = 0;
            _cache?.BeginIteration();
            Stats.Iterations++;
            for (int i = 0; i < _sampledLayers.Length; i++)
            {
                int layer = _sampledLayers[i];
                int segment = _firstSegment + i;
                ulong draw = Mix(Mix(_seed ^ (ulong)Stats.Iterations) ^ (uint)layer);
                _touched.Extend(i, gate.Loads(segment), sampled, tokens, draw, _tokensPerExpert, _restTokens);
                double expertsS = ExpertComputeS(_tokensPerExpert);
                if (_nested != null)
                {
                    _nested.BeginLayer();
                    Array.Clear(_prefetchedNow!, 0, _experts);
                    if (_settings.Prefetch && layer > 0)
                    {
                        double prefetchedBytes = NestedPrefetch(i, layer, gate, segment, sampled, prefillShare, draw);
                        // As with whole experts: the previous layer's compute, taken to last as long as this one's, hides the transfer.
                        prefetchWaitS += Math.Max(0, prefetchedBytes / _offloadBytesPerS - (layerOutsideExpertsS + expertsS));
                        loadedBytes += prefetchedBytes;
                    }
                    NestedLayer(i, layer, layerOutsideExpertsS + expertsS, ref demandLoadS, ref refineWaitS, ref loadedBytes);
                }
                else
                {
                    _cache!.BeginLayer();
                    int prefetched = 0;
                    if (_settings.Prefetch && layer > 0)
                    {
                        prefetched = PrefetchPredicted(i, layer, gate, segment, sampled, prefillShare, draw);
                        // The previous layer, whose compute the prefetch hides behind, is taken to last as long as this one.
                        prefetchWaitS += Math.Max(0, prefetched * _expertLoadS - (layerOutsideExpertsS + expertsS));
                    }
                    int loads = prefetched + UseExperts(i, layer);
                    demandLoadS += (loads - prefetched) * _expertLoadS;
                    loadedBytes += loads * _shardBytes;
                }
                double busiest = 0;
                for (int e = 0; e < _experts; e++) busiest = Math.Max(busiest, _tokensPerExpert[e]);
                Stats.AddLayerStep(busiest / ((double)tokens * _topK / _experts));
                computeDeltaS += expertsS - evenExpertsS;
                allToAllS += AllToAllS(tokens);
            }
            // The sampled layers stand for all of them.
            double layerScale = (double)_layers / _sampledLayers.Length;
            double stallS = (prefetchWaitS + demandLoadS + refineWaitS) * layerScale;
            Stats.PrefetchWaitS += prefetchWaitS * layerScale;
            Stats.DemandLoadS += demandLoadS * layerScale;
            Stats.RefineWaitS += refineWaitS * layerScale;
            Stats.BytesLoaded += loadedBytes * layerScale;
            expertLoadS = stallS;
            Stats.AllToAllS += allToAllS * layerScale;
            Stats.TokensRouted += (double)tokens * _layers;
            return stallS + (allToAllS + computeDeltaS) * layerScale;
        }

        /// <summary>Runs the layer's experts: the resident ones first, then each missing one loaded on demand; returns the loads.</summary>
        int UseExperts(int cacheLayer, int layer)
        {
            int missing = 0;
            for (int e = 0; e < _experts; e++)
                if (_tokensPerExpert[e] > 0) _cache!.Protect(cacheLayer, e);
            for (int e = 0; e < _experts; e++)
            {
                if (_tokensPerExpert[e] == 0) continue;
                if (_settings.Prefetch && layer > 0)
                {
                    Stats.PredictableUses++;
                    if (_predictedTokens[e] > 0) Stats.PredictedUses++;
                }
                if (!_cache!.IsResident(cacheLayer, e))
                {
                    _missing[missing++] = e;
                    continue;
                }
                Use(cacheLayer, layer, e);
            }
            for (int m = 0; m < missing; m++) Use(cacheLayer, layer, _missing[m]);
            return missing;
        }

        void Use(int cacheLayer, int layer, int e)
        {
            ref ExpertState state = ref State(layer, e);
            state.TokensRouted += _tokensPerExpert[e];
            // Whole experts serve at the model's own precision, the quality proxy's reference.
            Stats.AddServed(_tokensPerExpert[e], _model.WeightBytesPerParam * 8, 1);
            if (_cache!.Use(cacheLayer, e, (int)Math.Ceiling(_tokensPerExpert[e]), out bool usefulPrefetch, out int evicted))
            {
                state.Hits++;
                Stats.Hits++;
                if (usefulPrefetch) Stats.PrefetchesUseful++;
            }
            else
            {
                state.Misses++;
                Stats.Misses++;
                state.Tier = ExpertTier.Hbm;
                Evicted(evicted);
            }
        }

        /// <summary>Picks up to SampleTokens tokens spread evenly over the batch's new tokens; returns the batch's token count.</summary>
        int Sample(SchedulerOutput batch, out int prefillTokens)
        {
            int tokens = 0;
            prefillTokens = 0;
            for (int slot = 0; slot < batch.Count; slot++)
            {
                ScheduledSequence sequence = batch[slot];
                tokens += sequence.NewTokens;
                if (sequence.IsPrefill) prefillTokens += sequence.NewTokens;
            }
            int sampled = Math.Min(tokens, _settings.SampleTokens);
            // Sample k is token floor((k + 0.5) x tokens / sampled) of the batch.
            long TokenOf(int k) => (long)((k + 0.5) * tokens / sampled);
            int seen = 0, next = 0;
            for (int slot = 0; slot < batch.Count; slot++)
            {
                ScheduledSequence sequence = batch[slot];
                while (next < sampled && TokenOf(next) < seen + sequence.NewTokens)
                {
                    _sampleRequest[next] = sequence.RequestId;
                    _samplePosition[next] = sequence.ContextTokens + (int)(TokenOf(next) - seen);
                    _samplePrefill[next] = sequence.IsPrefill;
                    next++;
                }
                seen += sequence.NewTokens;
            }
            return tokens;
        }

        /// <summary>
        /// Loads the experts predicted for the layer, those with the most predicted tokens first, in place of experts it
        /// does not need (<see cref="ExpertCache"/>), until none can go; returns the loads issued.
        /// Routed tokens are predicted one by one (<see cref="ExpertPredictor"/>); an expert the other tokens touch is
        /// predicted if any of its tokens named it right (their wrong guesses are not drawn).
        /// </summary>
        int PrefetchPredicted(int cacheLayer, int layer, StepGate gate, int segment, int sampled, double prefillShare, ulong draw)
        {
            PredictExperts(layer, gate, segment, sampled, prefillShare, draw);
            int issued = 0;
            for (int k = 0; k < _experts && _predictedTokens[_order[k]] > 0; k++)
            {
                int e = _order[k];
                if (_cache!.IsResident(cacheLayer, e))
                {
                    _cache.Protect(cacheLayer, e);
                    continue;
                }
                if (!_cache.Prefetch(cacheLayer, e, out int evicted)) break;
                issued++;
                Stats.PrefetchesIssued++;
                State(layer, e).Tier = ExpertTier.Hbm;
                Evicted(evicted);
            }
            return issued;
        }

        /// <summary>
        /// The layer's predicted tokens per expert (<see cref="_predictedTokens"/>), the sample's tokens one by one and the rest
        /// analytically, and the experts in <see cref="_order"/> by predicted tokens, most first, ties to the lower expert.
        /// </summary>
        void PredictExperts(int layer, StepGate gate, int segment, int sampled, double prefillShare, ulong draw)
        {
            Array.Clear(_predictedTokens, 0, _experts);
            ReadOnlySpan<float> logits = gate.Logits(segment);
            ReadOnlySpan<int> chosen = gate.Chosen(segment);
            for (int t = 0; t < sampled; t++)
                _predictor.PredictToken(logits.Slice(t * _experts, _experts), chosen.Slice(t * _topK, _topK),
                    _predictor.Accuracy(layer, _samplePrefill[t]), Mix(draw ^ ((ulong)(t + 1) << 32)), _predictedTokens);
            double restAccuracy = prefillShare * _predictor.Accuracy(layer, true) + (1 - prefillShare) * _predictor.Accuracy(layer, false);
            for (int e = 0; e < _experts; e++)
            {
                if (_restTokens[e] == 0) continue;
                double named = 1 - Math.Pow(1 - restAccuracy, Math.Max(1, Math.Round(_restTokens[e])));
                if ((Mix(draw + 0x51ED27UL + (ulong)e) >> 11) * (1.0 / (1UL << 53)) < named) _predictedTokens[e] += _restTokens[e] * restAccuracy;
            }
            // Most predicted tokens first, ties to the lower expert (insertion sort: a few dozen experts).
            for (int e = 0; e < _experts; e++)
            {
                int j = e;
                for (; j > 0 && _predictedTokens[_order[j - 1]] < _predictedTokens[e]; j--) _order[j] = _order[j - 1];
                _order[j] = e;
            }
        }

        /// <summary>An expert the cache evicted (a slot of layer × experts + expert, or −1) goes back to the offload tier.</summary>
        void Evicted(int slot)
        {
            if (slot >= 0) State(_sampledLayers[slot / _experts], slot % _experts).Tier = _offload;
        }

        /// <summary>Time of a layer's routed experts with these tokens: split TP ways on every GPU, or under EP the busiest GPU's experts.</summary>
        double ExpertComputeS(double[] tokensPerExpert)
        {
            int ep = _settings.ExpertParallel;
            if (ep == 1) return _perf.RoutedExpertsS(tokensPerExpert, splitTensorParallel: true);
            double slowestS = 0;
            for (int gpu = 0; gpu < ep; gpu++)
            {
                Array.Clear(_gpuTokens, 0, _experts);
                for (int e = gpu; e < _experts; e += ep) _gpuTokens[e] = tokensPerExpert[e];
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
