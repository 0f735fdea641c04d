using System;
using System.IO;
using NUnit.Framework;
using Sim.Core.Scenes;

namespace Sim.Core.Tests.Scenes
{
    public class SceneLoaderTests
    {
        const string Valid = @"name: t
model: llama-2-70b
hardware: a100-80g
parallelism: { tp: 2 }
cluster: { replicas: 3 }
kv: { block_tokens: 32, memory_fraction: 0.8 }
scheduler:
  policy: vllm
  max_batch_tokens: 2048
workload:
  trace: trace.csv
slo: { ttft_s: 1.5 }
";

        string _dir = "";

        [SetUp]
        public void MakeFolder()
        {
            _dir = Path.Combine(TestContext.CurrentContext.TestDirectory, "scene-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
        }

        [TearDown]
        public void RemoveFolder() => Directory.Delete(_dir, true);

        string Write(string yaml)
        {
            string path = Path.Combine(_dir, "scene.yaml");
            File.WriteAllText(path, yaml);
            return path;
        }

        [Test]
        public void AProfilePerfModelNeedsItsTablesFolderResolvedAgainstTheScene()
        {
            Scene scene = SceneLoader.Load(Write(Valid + "perf: { model: profile, profiles: tables }\n"), Array.Empty<string>());
            Assert.That((scene.PerfModel, scene.ProfilesDir), Is.EqualTo(("profile", Path.Combine(_dir, "tables"))));
            var missing = Assert.Throws<SimInputException>(() => SceneLoader.Load(Write(Valid + "perf: { model: profile }\n"), Array.Empty<string>()))!;
            Assert.That((missing.Field, missing.Problem), Is.EqualTo(("perf.profiles", "missing; model: profile needs the folder of measured tables (mlp.csv, ...)")));
            Scene roofline = SceneLoader.Load(Write(Valid + "perf: { model: profile, profiles: tables }\n"), new[] { "perf.model=roofline" });
            Assert.That(roofline.PerfModel, Is.EqualTo("roofline"), "the tables may stay in the scene while a flag compares the roofline");
        }

        [Test]
        public void ReadsEveryFieldAndResolvesSpecsAndPaths()
        {
            Scene scene = SceneLoader.Load(Write(Valid), Array.Empty<string>());
            Assert.That(scene.Model.Layers, Is.EqualTo(80));
            Assert.That(scene.TensorParallel, Is.EqualTo(2));
            Assert.That(scene.Replicas, Is.EqualTo(3));
            Assert.That(scene.BlockTokens, Is.EqualTo(32));
            Assert.That(scene.KvMemoryFraction, Is.EqualTo(0.8));
            Assert.That(scene.MaxBatchTokens, Is.EqualTo(2048));
            Assert.That(scene.MaxNumSeqs, Is.EqualTo(128));
            Assert.That(scene.SloTtftS, Is.EqualTo(1.5));
            Assert.That(scene.TracePath, Is.EqualTo(Path.Combine(_dir, "trace.csv")));
        }

        [Test]
        public void OverridesReplaceAndAddFields()
        {
            Scene scene = SceneLoader.Load(Write(Valid), new[] { "cluster.replicas=5", "scheduler.max_num_seqs=7", "seed=9" });
            Assert.That(scene.Replicas, Is.EqualTo(5));
            Assert.That(scene.MaxNumSeqs, Is.EqualTo(7));
            Assert.That(scene.Seed, Is.EqualTo(9UL));
        }

        [Test]
        public void TypoInAKeyNamesTheLineAndTheClosestKey()
        {
            var e = Assert.Throws<SimInputException>(() => SceneLoader.Load(Write(Valid.Replace("max_batch_tokens", "max_batch_tokenz")), Array.Empty<string>()));
            Assert.That(e!.Line, Is.EqualTo(9));
            Assert.That(e.Message, Does.Contain("scheduler.max_batch_tokenz").And.Contain("did you mean 'max_batch_tokens'"));
        }

        [Test]
        public void UnknownPolicyModelOrHardwareIsRejectedWithItsLine()
        {
            var policy = Assert.Throws<SimInputException>(() => SceneLoader.Load(Write(Valid.Replace("policy: vllm", "policy: vlm")), Array.Empty<string>()));
            Assert.That(policy!.Line, Is.EqualTo(8));
            Assert.That(policy.Message, Does.Contain("did you mean 'vllm'"));
            var model = Assert.Throws<SimInputException>(() => SceneLoader.Load(Write(Valid.Replace("llama-2-70b", "llama-9")), Array.Empty<string>()));
            Assert.That(model!.Line, Is.EqualTo(2));
            var hardware = Assert.Throws<SimInputException>(() => SceneLoader.Load(Write(Valid.Replace("a100-80g", "b100")), Array.Empty<string>()));
            Assert.That(hardware!.Line, Is.EqualTo(3));
        }

        [TestCase("replicas: 3", "replicas: 0", 5, "cluster.replicas")]
        [TestCase("replicas: 3", "replicas: three", 5, "cluster.replicas")]
        [TestCase("memory_fraction: 0.8", "memory_fraction: .nan", 6, "kv.memory_fraction")]
        [TestCase("memory_fraction: 0.8", "memory_fraction: 0.8, watermark: 1", 6, "kv.watermark")]
        [TestCase("memory_fraction: 0.8", "memory_fraction: 0.8, watermark: -0.1", 6, "kv.watermark")]
        [TestCase("ttft_s: 1.5", "ttft_s: -1", 12, "slo.ttft_s")]
        public void BadValuesNameFileLineAndField(string good, string bad, int line, string field)
        {
            string path = Write(Valid.Replace(good, bad));
            var e = Assert.Throws<SimInputException>(() => SceneLoader.Load(path, Array.Empty<string>()));
            Assert.That(e!.File, Is.EqualTo(path));
            Assert.That(e.Line, Is.EqualTo(line));
            Assert.That(e.Field, Is.EqualTo(field));
        }

        [Test]
        public void TiersDefaultToTheHardwareForAllTheReplicasGpus()
        {
            // a100-80g gives each GPU 256 GiB of host DRAM at 32 GB/s and 1920 GB of SSD at 1.75 GB/s; tp 2 doubles them.
            Scene scene = SceneLoader.Load(Write(Valid), new[] { "kv.prefix_caching=true", "kv.eviction=size-aware", "kv.tiers.host.capacity_gib=64", "kv.tiers.ssd.bandwidth_gb_s=5" });
            Assert.That(scene.PrefixCaching, Is.True);
            Assert.That(scene.Eviction, Is.EqualTo(Sim.Core.Kv.EvictionPolicy.SizeAware));
            Assert.That((scene.HostTier!.CapacityBytes, scene.HostTier.BandwidthBytesPerS), Is.EqualTo((64L << 30, 64e9)));
            Assert.That((scene.SsdTier!.CapacityBytes, scene.SsdTier.BandwidthBytesPerS), Is.EqualTo((3840_000_000_000L, 5e9)));
        }

        [Test]
        public void SpeculativeDecodingSettings()
        {
            Scene scene = SceneLoader.Load(Write(Valid + "speculative: { draft: llama-2-7b, k: 3, acceptance: [0.9, 0.5], adaptive: { threshold: 0.6 } }\n"), Array.Empty<string>());
            Sim.Core.Scenes.SpeculativeDecoding s = scene.Speculative!;
            Assert.That((s.Draft, s.DraftModel!.Layers, s.K, s.AdaptiveThreshold), Is.EqualTo(("llama-2-7b", 32, 3, (double?)0.6)));
            Assert.That((s.AcceptanceAt(0), s.AcceptanceAt(1), s.AcceptanceAt(5)), Is.EqualTo((0.9, 0.5, 0.5)), "the last rate repeats");
            Assert.That(SceneLoader.Load(Write(Valid), Array.Empty<string>()).Speculative, Is.Null);
            var rate = Assert.Throws<SimInputException>(() => SceneLoader.Load(Write(Valid + "speculative: { acceptance: [0.9, 1.2] }\n"), Array.Empty<string>()));
            Assert.That(rate!.Field, Is.EqualTo("speculative.acceptance"));
            var draft = Assert.Throws<SimInputException>(() => SceneLoader.Load(Write(Valid + "speculative: { draft: llama-1b }\n"), Array.Empty<string>()));
            Assert.That(draft!.Field, Is.EqualTo("speculative.draft"));
        }

        [Test]
        public void KvPredictionSettings()
        {
            Scene scene = SceneLoader.Load(Write(Valid + "kv_prediction: { auxiliary: llama-2-7b, accuracy_retention: 0.85 }\n"), Array.Empty<string>());
            Assert.That((scene.KvPrediction!.AuxiliaryId, scene.KvPrediction.AuxiliaryModel.Layers, scene.KvPrediction.AccuracyRetention), Is.EqualTo(("llama-2-7b", 32, 0.85)));
            var both = Assert.Throws<SimInputException>(() => SceneLoader.Load(Write(Valid + "speculative: { k: 2 }\nkv_prediction: { auxiliary: llama-2-7b }\n"), Array.Empty<string>()));
            Assert.That(both!.Field, Is.EqualTo("kv_prediction.auxiliary"));
            var retention = Assert.Throws<SimInputException>(() => SceneLoader.Load(Write(Valid + "kv_prediction: { auxiliary: llama-2-7b, accuracy_retention: 1.5 }\n"), Array.Empty<string>()));
            Assert.That(retention!.Field, Is.EqualTo("kv_prediction.accuracy_retention"));
        }

        [Test]
        public void ReusePredictionSettingsAreReadAndBounded()
        {
            Scene scene = SceneLoader.Load(Write(Valid), new[] { "kv.prefix_caching=true", "kv.eviction=predicted", "kv.reuse_prediction.error=0.1", "kv.reuse_prediction.horizon_s=30" });
            Assert.That((scene.Eviction, scene.ReusePredictionError, scene.ReuseHorizonS), Is.EqualTo((Sim.Core.Kv.EvictionPolicy.Predicted, 0.1, 30.0)));
            var tooWrong = Assert.Throws<SimInputException>(() => SceneLoader.Load(Write(Valid), new[] { "kv.prefix_caching=true", "kv.eviction=predicted", "kv.reuse_prediction.error=1.5" }));
            Assert.That(tooWrong!.Field, Is.EqualTo("kv.reuse_prediction.error"));
        }

        [Test]
        public void SwapPreemptionDefaultsToFourGibOfHostMemoryPerGpu()
        {
            Scene swap = SceneLoader.Load(Write(Valid), new[] { "scheduler.preemption=swap" });
            Assert.That((swap.SwapPreemption, swap.SwapSpaceBytes), Is.EqualTo((true, 8L << 30)), "tp 2: two GPUs");
            Assert.That(SceneLoader.Load(Write(Valid), Array.Empty<string>()).SwapPreemption, Is.False);
            var e = Assert.Throws<SimInputException>(() => SceneLoader.Load(Write(Valid), new[] { "scheduler.preemption=evict" }));
            Assert.That((e!.Field, e.Problem), Is.EqualTo(("scheduler.preemption", "unknown value 'evict'; known: recompute, swap")));
        }

        [Test]
        public void AdmissionOrderAndPriorityRule()
        {
            Scene scene = SceneLoader.Load(Write(Valid), new[] { "scheduler.order=priority", "scheduler.starvation_s=5", "scheduler.priority.by=output_tokens", "scheduler.priority.bounds=[100, 1000]" });
            Assert.That((scene.AdmissionOrder, scene.StarvationS), Is.EqualTo((Sim.Core.Policies.AdmissionOrderKind.Priority, 5.0)));
            Assert.That(scene.PriorityRule!.ClassOf(5000, 500), Is.EqualTo(1));
            var e = Assert.Throws<SimInputException>(() => SceneLoader.Load(Write(Valid), new[] { "scheduler.priority.bounds=[100, 50]" }));
            Assert.That((e!.Field, e.Problem), Is.EqualTo(("scheduler.priority.bounds", "must rise: each bound above the one before")));
        }

        [TestCase("kv.tiers.host.capacity_gib=0", "kv.tiers.host.capacity_gib", "must be > 0")]
        [TestCase("kv.eviction=random", "kv.eviction", "known: belady, fifo, lfu, lru, predicted, size-aware")]
        [TestCase("kv.tiers.nvme.capacity_gib=1", "kv.tiers.nvme", "unknown key")]
        public void BadPrefixCacheSettingsNameTheField(string flag, string field, string problem)
        {
            var e = Assert.Throws<SimInputException>(() => SceneLoader.Load(Write(Valid), new[] { "kv.prefix_caching=true", flag }));
            Assert.That(e!.Field, Is.EqualTo(field));
            Assert.That(e.Problem, Does.Contain(problem));
        }

        [Test]
        public void TiersAndPrefixAwareRoutingNeedPrefixCaching()
        {
            var tiers = Assert.Throws<SimInputException>(() => SceneLoader.Load(Write(Valid), new[] { "kv.tiers.host.capacity_gib=8" }));
            Assert.That((tiers!.Field, tiers.Problem), Is.EqualTo(("kv.tiers", "lower tiers hold evicted prefix-cache pages; set kv.prefix_caching: true or remove kv.tiers")));
            var router = Assert.Throws<SimInputException>(() => SceneLoader.Load(Write(Valid.Replace("replicas: 3", "replicas: 3, router: prefix-aware")), Array.Empty<string>()));
            Assert.That((router!.Line, router.Field), Is.EqualTo((5, "cluster.router")));
        }

        [Test]
        public void BadOverrideNamesTheFlag()
        {
            var e = Assert.Throws<SimInputException>(() => SceneLoader.Load(Write(Valid), new[] { "cluster.replicaz=2" }));
            Assert.That(e!.File, Is.EqualTo("--set cluster.replicaz=2"));
            Assert.That(e.Message, Does.Contain("did you mean 'replicas'"));
        }

        [Test]
        public void WorkloadNeedsExactlyOneSource()
        {
            var e = Assert.Throws<SimInputException>(() => SceneLoader.Load(Write(Valid.Replace("  trace: trace.csv", "  format: azure")), Array.Empty<string>()));
            Assert.That(e!.Message, Does.Contain("exactly one"));
        }

        [Test]
        public void MissingFileAndInvalidYaml()
        {
            var missing = Assert.Throws<SimInputException>(() => SceneLoader.Load(Path.Combine(_dir, "nope.yaml"), Array.Empty<string>()));
            Assert.That(missing!.Message, Does.Contain("not found"));
            var invalid = Assert.Throws<SimInputException>(() => SceneLoader.Load(Write("name: [unclosed\nmodel: x\n"), Array.Empty<string>()));
            Assert.That(invalid!.Message, Does.Contain("not valid YAML"));
        }

        [Test]
        public void ASceneOfTheLargestSizeIsReadAndOneCharacterMoreIsRefused()
        {
            // A valid scene padded with a comment to exactly the bound (its text read in blocks), then one character past it.
            string padded = Valid + "#";
            padded += new string('x', YamlFile.MaxChars - padded.Length);
            Assert.That(SceneLoader.Load(Write(padded), Array.Empty<string>()).Name, Is.EqualTo("t"));
            var tooLarge = Assert.Throws<SimInputException>(() => SceneLoader.Load(Write(padded + "x"), Array.Empty<string>()));
            Assert.That(tooLarge!.Message, Does.Contain("larger than " + YamlFile.MaxChars + " characters"));
        }

        [Test]
        public void DisaggregatedPoolsTakeTheScenesShapeUnlessGivenTheirOwn()
        {
            string yaml = Valid.Replace("cluster: { replicas: 3 }", "cluster:\n  disaggregation:\n    prefill: { replicas: 2, hardware: h100-sxm }\n    decode: { replicas: 3, tp: 4 }\n    link_gb_s: 25");
            Scene scene = SceneLoader.Load(Write(yaml), Array.Empty<string>());
            Disaggregation pools = scene.Disaggregation!;
            Assert.That((pools.Prefill.Replicas, pools.Prefill.HardwareId, pools.Prefill.TensorParallel), Is.EqualTo((2, "h100-sxm", 2)));
            Assert.That((pools.Decode.Replicas, pools.Decode.HardwareId, pools.Decode.TensorParallel), Is.EqualTo((3, "a100-80g", 4)));
            Assert.That((scene.Replicas, pools.LinkBytesPerS), Is.EqualTo((5, 25e9)));
        }

        [TestCase("    prefill: { replicas: 2 }\n", "cluster.disaggregation.decode", "missing; a disaggregated cluster needs a decode pool, e.g. decode: { replicas: 2 }")]
        [TestCase("    prefill: { replicas: 2 }\n    decode: { replicas: 1 }\n    decode_router: prefix-aware\n", "cluster.disaggregation.decode_router", "decode replicas receive")]
        public void DisaggregationMistakesNameTheField(string pools, string field, string problem)
        {
            string path = Write(Valid.Replace("cluster: { replicas: 3 }", "cluster:\n  disaggregation:\n" + pools.TrimEnd('\n')));
            var e = Assert.Throws<SimInputException>(() => SceneLoader.Load(path, Array.Empty<string>()));
            Assert.That((e!.File, e.Field), Is.EqualTo((path, field)));
            Assert.That(e.Problem, Does.StartWith(problem));
            var both = Assert.Throws<SimInputException>(() => SceneLoader.Load(Write(Valid.Replace("replicas: 3 }", "replicas: 3, disaggregation: { prefill: {}, decode: {} } }")), Array.Empty<string>()));
            Assert.That(both!.Field, Is.EqualTo("cluster.replicas"));
        }

        [Test]
        public void TokenModeReadsItsPolicyAndAttentionModel()
        {
            Scene scene = SceneLoader.Load(Write(Valid), new[] { "kv.token_level=true", "kv.compression.policy=h2o", "kv.compression.budget_tokens=512", "kv.compression.recent_tokens=128", "kv.attention.heads=3", "kv.compression.cake_gamma=50" });
            Assert.That((scene.TokenLevel, scene.Compression.Policy, scene.Compression.BudgetTokens, scene.Compression.RecentTokens), Is.EqualTo((true, Sim.Core.Tokens.CompressionPolicy.H2o, 512, 128)));
            Assert.That((scene.Attention.Heads, scene.Attention.Layers, scene.Compression.CakeGamma), Is.EqualTo((3, 4, 50.0)));
        }

        [TestCase(new[] { "kv.token_level=true", "kv.compression.policy=streaming", "kv.compression.budget_tokens=4", "kv.compression.sinks=4" }, "kv.compression.budget_tokens", "4 leaves nothing to choose")]
        [TestCase(new[] { "kv.token_level=true", "kv.compression.policy=h2o", "kv.compression.budget_tokens=64" }, "kv.compression.budget_tokens", "64 leaves nothing to choose beyond the 64 tokens h2o always keeps")]
        [TestCase(new[] { "kv.token_level=true", "kv.compression.policy=cake", "kv.compression.budget_tokens=32" }, "kv.compression.budget_tokens", "32 leaves nothing to choose beyond the 32 tokens cake always keeps")]
        [TestCase(new[] { "kv.token_level=true", "kv.compression.policy=snapkv", "kv.compression.pool_kernel=4" }, "kv.compression.pool_kernel", "must be odd")]
        [TestCase(new[] { "kv.compression.policy=window" }, "kv.compression", "token-level compression needs kv.token_level: true")]
        [TestCase(new[] { "kv.token_level=true", "scheduler.preemption=swap" }, "scheduler.preemption", "token mode recomputes")]
        [TestCase(new[] { "kv.token_level=true", "model=deepseek-v2-lite" }, "kv.token_level", "deepseek-v2-lite caches a compressed latent")]
        public void TokenModeMistakesNameTheField(string[] flags, string field, string problem)
        {
            var e = Assert.Throws<SimInputException>(() => SceneLoader.Load(Write(Valid), flags));
            Assert.That(e!.Field, Is.EqualTo(field));
            Assert.That(e.Problem, Does.StartWith(problem));
        }

        [Test]
        public void MoeSettingsAreReadForMixtureOfExpertsModels()
        {
            Scene scene = SceneLoader.Load(Write(Valid.Replace("llama-2-70b", "mixtral-8x7b")), new[] { "moe.expert_parallel=2", "moe.hbm_slots_per_layer=4", "moe.cache=lfu", "moe.prefetch=true", "moe.predictor_accuracy=0.7", "moe.predictor_shallow_drop=0.2", "moe.predictor_prefill_drop=0" });
            Assert.That((scene.Moe!.ExpertParallel, scene.Moe.HbmSlotsPerLayer, scene.Moe.Cache, scene.Moe.Prefetch, scene.Moe.PredictorAccuracy),
                Is.EqualTo((2, 4, Sim.Core.Experts.ExpertCachePolicy.Lfu, true, 0.7)));
            Assert.That((scene.Moe.PredictorShallowDrop, scene.Moe.PredictorPrefillDrop), Is.EqualTo((0.2, 0.0)));
        }

        [TestCase("llama-2-70b", "moe.skew=1", "moe", "llama-2-70b has no experts")]
        [TestCase("mixtral-8x7b", "moe.expert_parallel=4", "moe.expert_parallel", "at most the replica's 2 GPUs")]
        [TestCase("mixtral-8x7b", "moe.predictor_accuracy=1.5", "moe.predictor_accuracy", "must be at most 1")]
        [TestCase("mixtral-8x7b", "moe.predictor_shallow_drop=2", "moe.predictor_shallow_drop", "must be at most 1")]
        [TestCase("mixtral-8x7b", "moe.predictor_prefill_drop=-0.1", "moe.predictor_prefill_drop", "-0.1 must be >= 0")]
        public void MoeMistakesNameTheField(string model, string flag, string field, string problem)
        {
            var e = Assert.Throws<SimInputException>(() => SceneLoader.Load(Write(Valid.Replace("llama-2-70b", model)), new[] { flag }));
            Assert.That(e!.Field, Is.EqualTo(field));
            Assert.That(e.Problem, Does.StartWith(problem));
        }

        [Test]
        public void NestedBitsAreReadWithThePapersDefaultWidths()
        {
            Scene scene = SceneLoader.Load(Write(Valid.Replace("llama-2-70b", "mixtral-8x7b")), new[] { "moe.hbm_slots_per_layer=3", "moe.nested_bits.hot_share=0.5" });
            Sim.Core.Experts.NestedBits nested = scene.Moe!.NestedBits!;
            Assert.That((nested.Widths, nested.Quality, nested.HotShare), Is.EqualTo((new[] { 2, 4, 8 }, new[] { 0.85, 0.98, 1.0 }, 0.5)));
        }

        [TestCase("moe.nested_bits.widths=4,2", "moe.nested_bits.widths", "must rise")]
        [TestCase("moe.nested_bits.widths=2,4,32", "moe.nested_bits.widths", "at most the model's 16 bits")]
        [TestCase("moe.nested_bits.widths=2,4", "moe.nested_bits.widths", "needs quality")]
        [TestCase("moe.nested_bits.widths=2,4;moe.nested_bits.quality=0.9", "moe.nested_bits.quality", "needs one value per width (2)")]
        [TestCase("moe.nested_bits.hot_share=1.5", "moe.nested_bits.hot_share", "must be at most 1")]
        [TestCase("moe.nested_bits.widths=8,16;moe.nested_bits.quality=0.9,1;moe.hbm_slots_per_layer=3", "moe.hbm_slots_per_layer", "too few for nested_bits")]
        public void NestedBitsMistakesNameTheField(string flags, string field, string problem)
        {
            var e = Assert.Throws<SimInputException>(() => SceneLoader.Load(Write(Valid.Replace("llama-2-70b", "mixtral-8x7b")), flags.Split(';')));
            Assert.That(e!.Field, Is.EqualTo(field));
            Assert.That(e.Problem, Does.StartWith(problem));
        }
    }
}
