using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Sim.Core.Experts;
using Sim.Core.Kv;
using Sim.Core.PerfModel;
using Sim.Core.Policies;
using Sim.Core.Tokens;
using Sim.Core.Tokens.Policies;
using Sim.Core.Trace;
using YamlDotNet.RepresentationModel;

namespace Sim.Core.Scenes
{
    /// <summary>Reads a scene YAML, applies <c>--set</c> overrides, validates every field and resolves model and hardware ids.</summary>
    public static class SceneLoader
    {
        static readonly string[] TraceFormats = { "auto", "azure", "mooncake", "vidur" };
        static readonly string[] OversizePolicies = { "reject", "truncate", "error" };
        static readonly string[] KvDtypes = { "fp16", "bf16", "fp8", "int4" };
        static readonly string[] PerfModels = { "roofline", "profile" };
        static readonly string[] PreemptionModes = { "recompute", "swap" };
        static readonly string[] PriorityRuleFields = { "prompt_tokens", "output_tokens" };

        public static Scene Load(string path, IReadOnlyList<string> overrides)
        {
            InputFile.Require(path, "scene");
            var source = new SceneSource(path);
            YamlMappingNode root = YamlFile.LoadMapping(path, "a scene is a mapping of keys (name:, model:, hardware:, workload:, ...)");
            SceneOverrides.Apply(root, overrides, source);
            var top = new YamlSection(root, source, "");
            string sceneDir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            string catalogDir = SpecCatalog.FindCatalogDir(sceneDir)
                ?? throw new SimInputException(path, 0, "", "no model and hardware catalog found (a scenes/ folder with models/ and hardware/) above the scene or beside the sim binary");

            var scene = new Scene { SourcePath = path };
            scene.Overrides.AddRange(overrides);
            scene.Name = top.String("name", Path.GetFileNameWithoutExtension(path));
            scene.Seed = (ulong)top.Long("seed", 42, 0);
            scene.ModelId = CatalogId(top, "model", SpecCatalog.ModelIds(catalogDir).ToArray());
            scene.HardwareId = CatalogId(top, "hardware", SpecCatalog.HardwareIds(catalogDir).ToArray());
            scene.Model = SpecCatalog.LoadModel(catalogDir, scene.ModelId);
            scene.Hardware = SpecCatalog.LoadHardware(catalogDir, scene.HardwareId);
            scene.CheckInvariants = top.Bool("check_invariants", false);
            scene.FastForward = top.Bool("fast_forward", true);

            ReadParallelism(top.Section("parallelism"), scene);
            ReadKv(top.Section("kv"), scene);
            ReadCluster(top.Section("cluster"), scene, catalogDir); // after kv: prefix-aware routing needs the prefix cache
            ReadScheduler(top.Section("scheduler"), scene);
            ReadPerf(top.Section("perf"), scene, sceneDir);
            YamlSection? moe = top.Section("moe");
            if (moe != null && !scene.Model.IsMoe)
                throw top.ErrorAt("moe", scene.ModelId + " has no experts; moe: applies to mixture-of-experts models (mixtral-8x7b, deepseek-v2-lite)");
            ReadMoe(moe, scene);
            scene.Speculative = ReadSpeculative(top.Section("speculative"), scene, catalogDir);
            scene.KvPrediction = ReadKvPrediction(top.Section("kv_prediction"), scene, catalogDir);
            ReadWorkload(top.Section("workload") ?? throw top.ErrorAt("workload", "missing; a scene needs a workload (a trace file or synthetic arrivals)"), scene, sceneDir);
            ReadSlo(top.Section("slo"), scene);
            top.RejectUnknownKeys();
            SceneLimits.CheckPages(scene);
            return scene;
        }

        /// <summary>A required model or hardware id from the catalog; a missing one says so and lists the ids.</summary>
        static string CatalogId(YamlSection top, string key, string[] known)
        {
            if (top.OptionalString(key) == null)
                throw top.ErrorAt(key, "missing; name one from the catalog: " + string.Join(", ", known.OrderBy(id => id, StringComparer.Ordinal)));
            return top.Choice(key, "", known);
        }

        static void ReadParallelism(YamlSection? section, Scene scene)
        {
            if (section == null) return;
            scene.TensorParallel = section.Int("tp", 1, 1);
            scene.PipelineParallel = section.Int("pp", 1, 1);
            CheckParallelism(section, scene, scene.TensorParallel, scene.PipelineParallel);
            section.RejectUnknownKeys();
        }

        static void CheckParallelism(YamlSection section, Scene scene, int tp, int pp)
        {
            string? problem = SceneLimits.TensorParallelProblem(scene.Model, scene.ModelId, tp);
            if (problem != null) throw section.ErrorAt("tp", problem);
            problem = SceneLimits.PipelineParallelProblem(scene.Model, scene.ModelId, pp);
            if (problem != null) throw section.ErrorAt("pp", problem);
        }

        static void ReadCluster(YamlSection? section, Scene scene, string catalogDir)
        {
            if (section == null) return;
            scene.Replicas = section.Int("replicas", 1, 1);
            string? tooMany = SceneLimits.ReplicasProblem(scene.Replicas);
            if (tooMany != null) throw section.ErrorAt("replicas", tooMany);
            scene.Router = section.Choice("router", scene.Router, RouterRegistry.Names);
            YamlSection? disaggregation = section.Section("disaggregation");
            if (disaggregation != null)
            {
                if (section.Long("replicas", 0) != 0)
                    throw section.ErrorAt("replicas", "leave it out: cluster.disaggregation sizes the prefill and decode pools");
                if (scene.TokenLevel)
                    throw section.ErrorAt("disaggregation", "token mode keeps each sequence's tokens on one replica; it does not combine with disaggregation");
                scene.Disaggregation = ReadDisaggregation(disaggregation, scene, catalogDir);
                scene.Replicas = scene.Disaggregation.Prefill.Replicas + scene.Disaggregation.Decode.Replicas;
                string? tooManyPooled = SceneLimits.ReplicasProblem(scene.Replicas);
                if (tooManyPooled != null) throw disaggregation.ErrorAt("decode", tooManyPooled);
            }
            section.RejectUnknownKeys();
            if (scene.Router == "prefix-aware" && !scene.PrefixCaching)
                throw section.ErrorAt("router", "prefix-aware routing follows cached prefixes; set kv.prefix_caching: true");
        }

        static Disaggregation ReadDisaggregation(YamlSection section, Scene scene, string catalogDir)
        {
            var disaggregation = new Disaggregation
            {
                Prefill = ReadPool(section.Section("prefill") ?? throw section.ErrorAt("prefill", "missing; a disaggregated cluster needs a prefill pool, e.g. prefill: { replicas: 2 }"), ReplicaRole.Prefill, scene, catalogDir),
                Decode = ReadPool(section.Section("decode") ?? throw section.ErrorAt("decode", "missing; a disaggregated cluster needs a decode pool, e.g. decode: { replicas: 2 }"), ReplicaRole.Decode, scene, catalogDir),
            };
            disaggregation.LinkBytesPerS = section.Double("link_gb_s", disaggregation.LinkBytesPerS / 1e9, 0, exclusiveMin: true) * 1e9;
            disaggregation.LinkLatencyS = section.Double("link_latency_us", disaggregation.LinkLatencyS * 1e6, 0) * 1e-6;
            disaggregation.DecodeRouter = section.Choice("decode_router", disaggregation.DecodeRouter, RouterRegistry.Names);
            if (disaggregation.DecodeRouter == "prefix-aware")
                throw section.ErrorAt("decode_router", "decode replicas receive their KV with the request, so there is no prefix to follow; use least-loaded, least-kv, round-robin or power-of-two");
            section.RejectUnknownKeys();
            return disaggregation;
        }

        /// <summary>A pool's size and shape; hardware and parallelism default to the scene's.</summary>
        static ReplicaPool ReadPool(YamlSection section, ReplicaRole role, Scene scene, string catalogDir)
        {
            var pool = new ReplicaPool
            {
                Role = role,
                Replicas = section.Int("replicas", 1, 1),
                HardwareId = section.Choice("hardware", scene.HardwareId, SpecCatalog.HardwareIds(catalogDir).ToArray()),
                TensorParallel = section.Int("tp", scene.TensorParallel, 1),
                PipelineParallel = section.Int("pp", scene.PipelineParallel, 1),
            };
            pool.Hardware = pool.HardwareId == scene.HardwareId ? scene.Hardware : SpecCatalog.LoadHardware(catalogDir, pool.HardwareId);
            CheckParallelism(section, scene, pool.TensorParallel, pool.PipelineParallel);
            string? tooMany = SceneLimits.ReplicasProblem(pool.Replicas);
            if (tooMany != null) throw section.ErrorAt("replicas", tooMany);
            section.RejectUnknownKeys();
            return pool;
        }

        static void ReadKv(YamlSection? section, Scene scene)
        {
            if (section == null) return;
            scene.BlockTokens = section.Int("block_tokens", scene.BlockTokens, 1);
            scene.KvMemoryFraction = section.Double("memory_fraction", scene.KvMemoryFraction, 0, exclusiveMin: true);
            if (scene.KvMemoryFraction > 1) throw section.ErrorAt("memory_fraction", "must be at most 1 (a share of HBM)");
            double reservedGib = section.Double("reserved_gib", -1, 0);
            if (reservedGib * 1073741824.0 > scene.Hardware.HbmBytes)
                throw section.ErrorAt("reserved_gib", "more than one GPU's HBM (" + (scene.Hardware.HbmBytes / 1073741824.0).ToString("F1", System.Globalization.CultureInfo.InvariantCulture) + " GiB on " + scene.HardwareId + ")");
            scene.KvReservedBytesPerGpu = reservedGib >= 0 ? (long)(reservedGib * 1073741824.0) : (long?)null;
            long capacityTokens = section.Long("capacity_tokens", 0, 1);
            scene.KvCapacityTokens = capacityTokens > 0 ? capacityTokens : (long?)null;
            scene.KvWatermark = section.Double("watermark", scene.KvWatermark, 0);
            if (scene.KvWatermark >= 1) throw section.ErrorAt("watermark", "must be below 1 (a share of the KV pages kept free)");
            string dtype = section.Choice("dtype", "fp16", KvDtypes);
            scene.KvBytesPerElement = dtype == "fp8" ? 1 : dtype == "int4" ? 0.5 : 2;
            scene.PrefixCaching = section.Bool("prefix_caching", false);
            if (scene.PrefixCaching && PrefixKeys.HashBlockTokens % scene.BlockTokens != 0)
                throw section.ErrorAt("block_tokens", "prefix caching keeps whole 512-token prompt blocks; use a block size that divides 512 (16, 32, 64, ...)");
            scene.Eviction = EvictionPolicies.Parse(section.Choice("eviction", "lru", EvictionPolicies.Names));
            YamlSection? prediction = section.Section("reuse_prediction");
            // Read whatever the policy (only predicted uses it), so a sweep may set it beside a grid over kv.eviction.
            if (prediction != null)
            {
                scene.ReuseHorizonS = prediction.Double("horizon_s", scene.ReuseHorizonS, 0);
                scene.ReusePredictionError = prediction.Double("error", 0, 0);
                if (scene.ReusePredictionError > 1) throw prediction.ErrorAt("error", "is the share of wrong predictions: at most 1");
                prediction.RejectUnknownKeys();
            }
            YamlSection? tiers = section.Section("tiers");
            if (tiers != null)
            {
                if (!scene.PrefixCaching) throw section.ErrorAt("tiers", "lower tiers hold evicted prefix-cache pages; set kv.prefix_caching: true or remove kv.tiers");
                int gpus = scene.TensorParallel * scene.PipelineParallel;
                HardwareSpec hardware = scene.Hardware;
                scene.HostTier = ReadTier(tiers.Section("host"), gpus * (double)hardware.HostMemoryBytes, gpus * hardware.PcieBandwidthBytesPerS);
                scene.SsdTier = ReadTier(tiers.Section("ssd"), gpus * (double)hardware.SsdBytes, gpus * hardware.SsdBandwidthBytesPerS);
                tiers.RejectUnknownKeys();
            }
            scene.TokenLevel = section.Bool("token_level", false);
            YamlSection? compression = section.Section("compression");
            YamlSection? attention = section.Section("attention");
            if (!scene.TokenLevel && (compression != null || attention != null))
                throw section.ErrorAt(compression != null ? "compression" : "attention", "token-level compression needs kv.token_level: true");
            if (scene.TokenLevel)
            {
                if (scene.PrefixCaching)
                    throw section.ErrorAt("token_level", "token mode evicts single tokens, which cached prefix blocks cannot lose; turn off kv.prefix_caching");
                if (scene.Model.KvElementsPerTokenPerLayer != 2 * scene.Model.KvHeads * scene.Model.HeadDim)
                    throw section.ErrorAt("token_level", scene.ModelId + " caches a compressed latent rather than per-head keys and values (kv_elements_per_token_per_layer), so its tokens have no head dims to score");
                if (compression != null) scene.Compression = ReadCompression(compression);
                if (attention != null) scene.Attention = ReadAttention(attention);
            }
            section.RejectUnknownKeys();
        }

        static readonly string[] CakeSplits = { "preference", "uniform" };

        static KvCompression ReadCompression(YamlSection section)
        {
            var compression = new KvCompression { Policy = CompressionPolicies.Parse(section.Choice("policy", "full", CompressionPolicies.Names)) };
            compression.BudgetTokens = section.Int("budget_tokens", 0, 1);
            compression.BudgetFraction = section.Double("budget_fraction", 1, 0, exclusiveMin: true);
            if (compression.BudgetFraction > 1) throw section.ErrorAt("budget_fraction", "must be at most 1 (a share of each sequence's tokens)");
            compression.Sinks = section.Int("sinks", compression.Sinks, 0);
            compression.RecentTokens = section.Int("recent_tokens", compression.RecentTokens, 1);
            compression.ObservationWindow = section.Int("observation_window", compression.ObservationWindow, 1);
            compression.PoolKernel = section.Int("pool_kernel", compression.PoolKernel, 1);
            if (compression.PoolKernel % 2 == 0) throw section.ErrorAt("pool_kernel", "must be odd (a window centred on each position)");
            compression.CakeTau1 = section.Double("cake_tau1", compression.CakeTau1, 0, exclusiveMin: true);
            compression.CakeTau2 = section.Double("cake_tau2", compression.CakeTau2, 0, exclusiveMin: true);
            compression.CakeGamma = section.Double("cake_gamma", compression.CakeGamma, 0);
            compression.CakeUniformSplit = section.Choice("cake_split", "preference", CakeSplits) == "uniform";
            compression.LazySlack = section.Int("lazy_slack", compression.LazySlack, 0);
            compression.LowBits = section.Int("low_bits", compression.LowBits, 1);
            if (compression.LowBits >= 16) throw section.ErrorAt("low_bits", "must be below 16 (the full precision)");
            TokenRule rule = compression.Policy.Rule();
            var protection = TokenKeyArguments.Of(compression, positions: 0);
            int kept = rule.ProtectedFirst(protection) + rule.ProtectedLast(protection);
            if (compression.BudgetTokens > 0 && compression.BudgetTokens <= kept)
                throw section.ErrorAt("budget_tokens", compression.BudgetTokens + " leaves nothing to choose beyond the " + kept + " tokens " + rule.Name
                    + " always keeps (sinks, recent_tokens or observation_window); raise it or lower those");
            section.RejectUnknownKeys();
            return compression;
        }

        static AttentionModel ReadAttention(YamlSection section)
        {
            var attention = new AttentionModel();
            attention.Sinks = section.Int("sinks", attention.Sinks, 0);
            attention.Layers = section.Int("layers", attention.Layers, 1);
            if (attention.Layers > 32) throw section.ErrorAt("layers", "at most 32 layer groups");
            attention.Heads = section.Int("heads", attention.Heads, 1);
            if (attention.Heads > 8) throw section.ErrorAt("heads", "at most 8 heads per layer group");
            attention.SegmentTokens = section.Int("segment_tokens", attention.SegmentTokens, 1);
            attention.QuestionReturnShare = section.Double("question_return_share", attention.QuestionReturnShare, 0);
            if (attention.QuestionReturnShare > 1) throw section.ErrorAt("question_return_share", "must be at most 1 (a share of decode segments)");
            attention.KeyStrengthExponent = section.Double("key_strength_exponent", attention.KeyStrengthExponent, 0, exclusiveMin: true);
            attention.Noise = (float)section.Double("noise", attention.Noise, 0);
            section.RejectUnknownKeys();
            return attention;
        }

        /// <summary>A tier's size and bandwidth for the whole replica; the hardware's figures for all its GPUs unless the scene gives them.</summary>
        static MemoryTier? ReadTier(YamlSection? section, double hardwareBytes, double hardwareBytesPerS)
        {
            if (section == null) return null;
            var tier = new MemoryTier
            {
                CapacityBytes = (long)(section.Double("capacity_gib", hardwareBytes / 1073741824.0, 0, exclusiveMin: true) * 1073741824.0),
                BandwidthBytesPerS = section.Double("bandwidth_gb_s", hardwareBytesPerS / 1e9, 0, exclusiveMin: true) * 1e9,
            };
            section.RejectUnknownKeys();
            return tier;
        }

        static void ReadScheduler(YamlSection? section, Scene scene)
        {
            if (section == null) return;
            scene.SchedulerPolicy = section.Choice("policy", scene.SchedulerPolicy, SchedulerRegistry.Names);
            scene.MaxBatchTokens = section.Int("max_batch_tokens", scene.MaxBatchTokens, 1, SceneLimits.MaxBatchTokens, "the scheduler keeps per-token buffers of this size");
            scene.MaxNumSeqs = section.Int("max_num_seqs", scene.MaxNumSeqs, 1, SceneLimits.MaxNumSeqs, "the scheduler keeps per-sequence buffers of this size");
            scene.ChunkedPrefill = section.Bool("chunked_prefill", scene.ChunkedPrefill);
            scene.ChunkTokens = section.Int("chunk_tokens", scene.ChunkTokens, 1);
            scene.SwapPreemption = section.Choice("preemption", "recompute", PreemptionModes) == "swap";
            if (scene.SwapPreemption && scene.TokenLevel)
                throw section.ErrorAt("preemption", "token mode recomputes preempted requests (their evicted tokens are gone); use preemption: recompute");
            scene.AdmissionOrder = Policies.Orders.AdmissionOrders.Parse(section.Choice("order", "fcfs", Policies.Orders.AdmissionOrders.Names));
            scene.StarvationS = section.Double("starvation_s", scene.StarvationS, 0, exclusiveMin: true);
            YamlSection? priority = section.Section("priority");
            if (priority != null) scene.PriorityRule = ReadPriorityRule(priority);
            int gpus = scene.TensorParallel * scene.PipelineParallel;
            scene.SwapSpaceBytes = (long)(section.Double("swap_space_gib", 4.0 * gpus, 0) * 1073741824.0);
            section.RejectUnknownKeys();
        }

        static PriorityRule ReadPriorityRule(YamlSection section)
        {
            bool byOutput = section.Choice("by", "prompt_tokens", PriorityRuleFields) == "output_tokens";
            int[] bounds = section.IntList("bounds", 1) ?? throw section.ErrorAt("bounds", "missing; e.g. bounds: [1024, 8192] makes three classes");
            for (int i = 1; i < bounds.Length; i++)
                if (bounds[i] <= bounds[i - 1]) throw section.ErrorAt("bounds", "must rise: each bound above the one before");
            section.RejectUnknownKeys();
            return new PriorityRule(byOutput, bounds);
        }

        static SpeculativeDecoding? ReadSpeculative(YamlSection? section, Scene scene, string catalogDir)
        {
            if (section == null) return null;
            if (scene.TokenLevel) throw section.ErrorAt("draft", "speculative decoding and token-level KV compression are not modelled together");
            var drafters = new List<string> { "ngram" };
            drafters.AddRange(SpecCatalog.ModelIds(catalogDir));
            var speculative = new SpeculativeDecoding
            {
                Draft = section.Choice("draft", "ngram", drafters),
                K = section.Int("k", 4, 1),
                Acceptance = section.DoubleList("acceptance", 0, 1) ?? new[] { 0.8 },
            };
            if (speculative.Draft != "ngram") speculative.DraftModel = SpecCatalog.LoadModel(catalogDir, speculative.Draft);
            YamlSection? adaptive = section.Section("adaptive");
            if (adaptive != null)
            {
                double threshold = adaptive.Double("threshold", 0.7, 0, exclusiveMin: true);
                if (threshold >= 1) throw adaptive.ErrorAt("threshold", "is a probability of rejection: below 1");
                speculative.AdaptiveThreshold = threshold;
                adaptive.RejectUnknownKeys();
            }
            section.RejectUnknownKeys();
            return speculative;
        }

        static KvPrediction? ReadKvPrediction(YamlSection? section, Scene scene, string catalogDir)
        {
            if (section == null) return null;
            // Verify passes would be priced as auxiliary prefills: the two are not modelled together.
            if (scene.Speculative != null) throw section.ErrorAt("auxiliary", "KV prediction and speculative decoding are not modelled together; remove one");
            var prediction = new KvPrediction
            {
                AuxiliaryId = section.Choice("auxiliary", "", SpecCatalog.ModelIds(catalogDir).ToArray()),
                AccuracyRetention = section.Double("accuracy_retention", 1, 0),
            };
            if (prediction.AccuracyRetention > 1) throw section.ErrorAt("accuracy_retention", "is a share of the base model's accuracy: at most 1");
            prediction.AuxiliaryModel = SpecCatalog.LoadModel(catalogDir, prediction.AuxiliaryId);
            section.RejectUnknownKeys();
            return prediction;
        }

        static readonly string[] ExpertCachePolicies = { "lru", "lfu" };
        static readonly string[] OffloadTiers = { "host", "ssd" };

        static void ReadMoe(YamlSection? section, Scene scene)
        {
            if (section == null) return;
            int gpus = scene.TensorParallel * scene.PipelineParallel;
            var moe = new MoeSettings
            {
                ExpertParallel = section.Int("expert_parallel", 1, 1),
                HbmSlotsPerLayer = section.Int("hbm_slots_per_layer", scene.Model.Experts, 1),
                Cache = section.Choice("cache", "lru", ExpertCachePolicies) == "lfu" ? ExpertCachePolicy.Lfu : ExpertCachePolicy.Lru,
                OffloadToSsd = section.Choice("offload_tier", "host", OffloadTiers) == "ssd",
                Prefetch = section.Bool("prefetch", false),
                PredictorAccuracy = section.Double("predictor_accuracy", 0.9, 0),
                PredictorShallowDrop = section.Double("predictor_shallow_drop", 0.1, 0),
                PredictorPrefillDrop = section.Double("predictor_prefill_drop", 0.05, 0),
                Skew = section.Double("skew", 0, 0),
                Locality = section.Double("locality", 0, 0),
                SampleTokens = section.Int("sample_tokens", 8, 1),
                SampleLayers = section.Int("sample_layers", 4, 1),
            };
            if (moe.ExpertParallel > gpus) throw section.ErrorAt("expert_parallel", "at most the replica's " + gpus + " GPUs (parallelism.tp x pp)");
            if (moe.PredictorAccuracy > 1) throw section.ErrorAt("predictor_accuracy", "must be at most 1 (a probability)");
            if (moe.PredictorShallowDrop > 1) throw section.ErrorAt("predictor_shallow_drop", "must be at most 1 (a drop in probability)");
            if (moe.PredictorPrefillDrop > 1) throw section.ErrorAt("predictor_prefill_drop", "must be at most 1 (a drop in probability)");
            if (moe.Locality > 1) throw section.ErrorAt("locality", "must be at most 1 (a probability)");
            YamlSection? nested = section.Section("nested_bits");
            if (nested != null)
            {
                moe.NestedBits = ReadNestedBits(nested, scene.Model);
                // The cache's bytes are the slots' at the model's precision; they must hold one layer's experts at the narrowest width.
                double modelBits = scene.Model.WeightBytesPerParam * 8;
                if (Math.Min(moe.HbmSlotsPerLayer, scene.Model.Experts) * modelBits < scene.Model.Experts * moe.NestedBits.Widths[0])
                    throw section.ErrorAt("hbm_slots_per_layer", "too few for nested_bits: the cache must hold a layer's " + scene.Model.Experts + " experts at " + moe.NestedBits.Widths[0] + " bits");
            }
            section.RejectUnknownKeys();
            scene.Moe = moe;
        }

        static NestedBits ReadNestedBits(YamlSection section, ModelSpec model)
        {
            var nested = new NestedBits();
            double modelBits = model.WeightBytesPerParam * 8;
            int[]? widths = section.IntList("widths", 1);
            if (widths != null) nested.Widths = widths;
            for (int i = 0; i < nested.Widths.Length; i++)
            {
                if (i > 0 && nested.Widths[i] <= nested.Widths[i - 1]) throw section.ErrorAt("widths", "must rise: each width nests the narrower ones");
                if (nested.Widths[i] > modelBits) throw section.ErrorAt("widths", "at most the model's " + modelBits + " bits per weight");
            }
            double[]? quality = section.DoubleList("quality", 0, 1);
            if (quality != null) nested.Quality = quality;
            else if (widths != null) throw section.ErrorAt("widths", "needs quality: one relative accuracy per width (the defaults are for 2, 4, 8)");
            if (nested.Quality.Length != nested.Widths.Length) throw section.ErrorAt("quality", "needs one value per width (" + nested.Widths.Length + ")");
            nested.HotShare = section.Double("hot_share", nested.HotShare, 0);
            if (nested.HotShare > 1) throw section.ErrorAt("hot_share", "must be at most 1 (a share of the used experts)");
            section.RejectUnknownKeys();
            return nested;
        }

        static void ReadPerf(YamlSection? section, Scene scene, string sceneDir)
        {
            if (section == null) return;
            scene.PerfModel = section.Choice("model", scene.PerfModel, PerfModels);
            string? profiles = section.OptionalString("profiles");
            if (scene.PerfModel == "profile" && profiles == null)
                throw section.ErrorAt("profiles", "missing; model: profile needs the folder of measured tables (mlp.csv, ...)");
            // profiles: may stay beside model: roofline, so `--set perf.model=roofline` (or a sweep over perf.model)
            // compares the two on one scene.
            if (profiles != null) scene.ProfilesDir = Path.GetFullPath(Path.Combine(sceneDir, profiles));
            scene.IterationOverheadS = section.Double("iteration_overhead_ms", scene.IterationOverheadS * 1e3, 0) / 1e3;
            scene.CollectiveLaunchS = section.Double("collective_launch_us", scene.CollectiveLaunchS * 1e6, 0) / 1e6;
            section.RejectUnknownKeys();
        }

        static void ReadSlo(YamlSection? section, Scene scene)
        {
            if (section == null) return;
            scene.SloTtftS = section.Double("ttft_s", scene.SloTtftS, 0, exclusiveMin: true);
            scene.SloTbtS = section.Double("tbt_s", scene.SloTbtS, 0, exclusiveMin: true);
            section.RejectUnknownKeys();
        }

        static void ReadWorkload(YamlSection section, Scene scene, string sceneDir)
        {
            string? trace = section.OptionalString("trace");
            YamlSection? synthetic = section.Section("synthetic");
            if ((trace == null) == (synthetic == null))
                throw section.ErrorAt(trace == null ? "trace" : "synthetic", "give exactly one of workload.trace (a file) or workload.synthetic (generated arrivals)");
            if (trace != null) scene.TracePath = Path.GetFullPath(Path.Combine(sceneDir, trace));
            scene.TraceFormat = ParseFormat(section.Choice("format", "auto", TraceFormats));
            long requests = section.Long("requests", 0, 1);
            scene.MaxRequests = requests > 0 ? requests : (long?)null;
            scene.TimeScale = section.Double("time_scale", 1, 0, exclusiveMin: true);
            string oversize = section.Choice("oversize", "reject", OversizePolicies);
            scene.Oversize = oversize == "truncate" ? OversizePolicy.Truncate : oversize == "error" ? OversizePolicy.Error : OversizePolicy.Reject;
            if (synthetic != null) scene.Synthetic = SyntheticSection.Read(synthetic);
            YamlSection? sharedPrefix = section.Section("shared_prefix");
            if (sharedPrefix != null) scene.SharedPrefix = ReadSharedPrefix(sharedPrefix);
            section.RejectUnknownKeys();
        }

        static SharedPrefixModel ReadSharedPrefix(YamlSection section)
        {
            var model = new SharedPrefixModel
            {
                Groups = section.Int("groups", 8, 1),
                PrefixTokens = section.Int("tokens", 2048, PrefixKeys.HashBlockTokens),
                Fraction = section.Double("fraction", 1, 0),
            };
            if (model.Fraction > 1) throw section.ErrorAt("fraction", "must be at most 1 (a share of requests)");
            section.RejectUnknownKeys();
            return model;
        }

        public static TraceFormat ParseFormat(string name) => name switch
        {
            "azure" => TraceFormat.Azure,
            "mooncake" => TraceFormat.Mooncake,
            "vidur" => TraceFormat.Vidur,
            _ => TraceFormat.Auto,
        };
    }
}
