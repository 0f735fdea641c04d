using System;
using System.Linq;
using NUnit.Framework;
using Sim.Core.Compute;
using Sim.Core.Ecs;
using Sim.Core.Experts;
using Sim.Core.Metrics;
using Sim.Core.PerfModel;
using Sim.Core.Pipeline;
using Sim.Core.Policies;
using Sim.Core.Scenes;
using Sim.Core.Tests.Support;
using Sim.Tests.Shared;

namespace Sim.Core.Tests.Experts
{
    /// <summary>Offload physics: prefetch overlap, the cache's eviction order, the predictor, the experts-touched correction.</summary>
    public class ExpertOffloadTests
    {
        static ModelSpec Mixtral => TestScenes.Mixtral;

        static HardwareSpec A100 => TestScenes.A100;

        // One Mixtral expert's TP-4 shard: 3 projections x 4,096 x 14,336 x 2 bytes / 4 = 88,080,384 bytes, over the A100's
        // 32 GB/s PCIe: 2.752512 ms.
        const double ShardLoadS = 88_080_384 / 32e9;

        /// <summary>A request whose one decode token at layer 16 picks two experts other than 0 and 1 (seed 5, no skew).</summary>
        static long RequestMissingExperts01()
        {
            var affinity = new ExpertAffinity(5, 32, 8, 2, skew: 0, locality: 0);
            var logits = new float[8];
            var chosen = new int[2];
            for (long request = 0; ; request++)
            {
                affinity.Logits(request, 100, 16, logits);
                CpuBackend.Instance.GateTopK(logits, 1, 8, 2, chosen, new int[8]);
                if (chosen.All(e => e > 1)) return request;
            }
        }

        static (MoeReplica Moe, SchedulerOutput Batch, RooflinePerfModel Perf) OneDecodeToken(bool prefetch)
        {
            // One simulated layer (16 of 32) with two HBM slots, holding experts 0 and 1; a perfect predictor.
            var settings = new MoeSettings
            {
                HbmSlotsPerLayer = 2, SampleLayers = 1, Prefetch = prefetch,
                PredictorAccuracy = 1, PredictorShallowDrop = 0, PredictorPrefillDrop = 0,
            };
            var perf = new RooflinePerfModel(Mixtral, A100, new Parallelism { Tp = 4 }, RooflineEfficiency.Default, 0);
            var moe = new MoeReplica(new World(), 0, Mixtral, A100, 4, settings, CpuBackend.Instance, perf, 5);
            var batch = new SchedulerOutput(1);
            batch.Add(new ScheduledSequence { RequestId = RequestMissingExperts01(), NewTokens = 1, ContextTokens = 100 });
            return (moe, batch, perf);
        }

        [Test]
        public void APrefetchHidesBehindOneLayersComputeAndTheRestStalls()
        {
            // Both experts of the token are in host memory: the prefetch moves 2 shards, 5.505024 ms, while the previous
            // layer computes. One token's routed experts cost what the even spread charges for one token (two experts, one
            // token each), so a layer computes baseS / 32. With baseS = 64 ms a layer computes 2 ms and each layer waits
            // 5.505024 - 2 = 3.505024 ms; the simulated layer stands for all 32: 112.160768 ms.
            (MoeReplica moe, SchedulerOutput batch, _) = OneDecodeToken(prefetch: true);
            double extraS = moe.IterationExtraS(batch, baseS: 0.064, out double expertLoadS);
            Assert.That(moe.Stats.PrefetchesIssued, Is.EqualTo(2));
            Assert.That((moe.Stats.Misses, moe.Stats.DemandLoadS), Is.EqualTo((0L, 0.0)));
            Assert.That(moe.Stats.PrefetchWaitS, Is.EqualTo(32 * (2 * ShardLoadS - 0.002)).Within(1e-9));
            Assert.That(extraS, Is.EqualTo(0.112160768).Within(1e-9));
            Assert.That(expertLoadS, Is.EqualTo(0.112160768).Within(1e-9));
        }

        [Test]
        public void APrefetchShorterThanTheLayerComputeCostsNothing()
        {
            // A layer of 6 ms covers the 5.505024 ms of transfers.
            (MoeReplica moe, SchedulerOutput batch, _) = OneDecodeToken(prefetch: true);
            Assert.That(moe.IterationExtraS(batch, baseS: 32 * 0.006, out _), Is.EqualTo(0).Within(1e-12));
            Assert.That(moe.Stats.StallS, Is.EqualTo(0));
        }

        [Test]
        public void WithoutPrefetchBothExpertsLoadOnDemand()
        {
            // Two misses of 2.752512 ms each, whatever the compute: 32 x 5.505024 ms = 176.160768 ms.
            (MoeReplica moe, SchedulerOutput batch, _) = OneDecodeToken(prefetch: false);
            Assert.That(moe.IterationExtraS(batch, baseS: 0.064, out _), Is.EqualTo(0.176160768).Within(1e-9));
            Assert.That((moe.Stats.Misses, moe.Stats.PrefetchWaitS), Is.EqualTo((2L, 0.0)));
        }

        [Test]
        public void PrefetchesEvictExpertsUsedThisIterationFirstAndNeverEachOther()
        {
            // Two layers of 4 experts, one slot each: expert 0 of each is resident. Layer 0 uses its expert 0, then layer 1's
            // prefetch of expert 2 evicts it (used this iteration) rather than layer 1's expert 0, although that one is the
            // least recently used; the prefetch of expert 3 then evicts layer 1's expert 0, and a third prefetch finds only
            // experts predicted for this layer and is not issued.
            var cache = new ExpertCache(2, 4, 1, ExpertCachePolicy.Lru);
            cache.BeginIteration();
            cache.BeginLayer();
            Assert.That(cache.Use(0, 0, 1, out _, out _), Is.True);
            cache.BeginLayer();
            Assert.That(cache.Prefetch(1, 2, out int evicted), Is.True);
            Assert.That(evicted, Is.EqualTo(0 * 4 + 0), "layer 0's expert 0, used this iteration");
            Assert.That(cache.Prefetch(1, 3, out evicted), Is.True);
            Assert.That(evicted, Is.EqualTo(1 * 4 + 0));
            Assert.That(cache.Prefetch(1, 1, out evicted), Is.False);
            Assert.That((evicted, cache.IsResident(1, 2), cache.IsResident(1, 3)), Is.EqualTo((-1, true, true)));
        }

        [Test]
        public void ALoadOnDemandReusesTheSlotOfAnExpertItsLayerHasRun()
        {
            // One slot in all; the layer needs experts 0 (resident) and 1: expert 1's load takes expert 0's slot once it has run.
            var cache = new ExpertCache(1, 2, 1, ExpertCachePolicy.Lru);
            cache.BeginIteration();
            cache.BeginLayer();
            cache.Protect(0, 0);
            cache.Protect(0, 1);
            Assert.That(cache.Use(0, 0, 1, out _, out _), Is.True);
            Assert.That(cache.Use(0, 1, 1, out _, out int evicted), Is.False);
            Assert.That(evicted, Is.EqualTo(0));
        }

        [Test]
        public void PredictionAccuracyRisesWithDepthAndDropsForPrefill()
        {
            // 32 layers, accuracy 0.9 at the last, 0.1 less at the second (layer 1), 0.05 less for prefill; layer 0 has no
            // previous gate. Layer 16 is 15/30 of the way from layer 1 to layer 31: 0.9 - 0.1 x 15/30 = 0.85.
            var predictor = new ExpertPredictor(32, 8, 2, 0.9, 0.1, 0.05);
            Assert.That(predictor.Accuracy(0, false), Is.EqualTo(0));
            Assert.That(predictor.Accuracy(1, false), Is.EqualTo(0.8).Within(1e-12));
            Assert.That(predictor.Accuracy(16, false), Is.EqualTo(0.85).Within(1e-12));
            Assert.That(predictor.Accuracy(31, false), Is.EqualTo(0.9).Within(1e-12));
            Assert.That(predictor.Accuracy(31, true), Is.EqualTo(0.85).Within(1e-12));
        }

        [Test]
        public void AMispredictionNamesTheNearestMiss()
        {
            // Logits rank experts 3 > 1 > 0 > 2; the top-2 is {3, 1}. With accuracy 0 both are replaced, by the next best
            // experts in order: 0, then 2. With accuracy 1 the top-2 itself is named.
            float[] logits = { 0.5f, 0.8f, 0.1f, 0.9f };
            int[] chosen = { 3, 1 };
            var predictor = new ExpertPredictor(32, 4, 2, 1, 0, 0);
            var wrong = new double[4];
            predictor.PredictToken(logits, chosen, 0, 7, wrong);
            Assert.That(wrong, Is.EqualTo(new double[] { 1, 0, 1, 0 }));
            var right = new double[4];
            predictor.PredictToken(logits, chosen, 1, 7, right);
            Assert.That(right, Is.EqualTo(new double[] { 0, 1, 0, 1 }));
        }

        [Test]
        public void MeasuredAccuracyMatchesTheSetting()
        {
            // Over 20,000 tokens of 8 experts, top-2, at accuracy 0.7: 70 % of the true experts are named (standard error
            // of the share about 0.0023 over 40,000 draws).
            var affinity = new ExpertAffinity(9, 1, 8, 2, skew: 1, locality: 0);
            var predictor = new ExpertPredictor(32, 8, 2, 1, 0, 0);
            var logits = new float[8];
            var chosen = new int[2];
            long right = 0;
            for (int t = 0; t < 20_000; t++)
            {
                affinity.Logits(t, 0, 0, logits);
                CpuBackend.Instance.GateTopK(logits, 1, 8, 2, chosen, new int[8]);
                var named = new double[8];
                predictor.PredictToken(logits, chosen, 0.7, DeterministicRng.Mix((ulong)t), named);
                right += (long)(named[chosen[0]] + named[chosen[1]]);
            }
            Assert.That(right / 40_000.0, Is.EqualTo(0.7).Within(0.01));
        }

        [TestCase(0.0, 32)]
        [TestCase(0.0, 200)]
        [TestCase(1.2, 32)]
        [TestCase(1.2, 200)]
        public void TheCorrectedExpertsTouchedMatchFullRouting(double skew, int tokens)
        {
            // DeepSeek-V2-Lite's shape (64 experts, top-6): decode batches of distinct sequences, routed in full or 8 of
            // them routed and the rest added analytically, averaged over 300 batches. Without skew the expected count is
            // 64 (1 - (58/64)^N): 61.26 for N = 32 and 64.00 for N = 200; 8 tokens alone would touch 34.9.
            const int experts = 64, topK = 6, sampled = 8, batches = 300;
            var affinity = new ExpertAffinity(11, 1, experts, topK, skew, locality: 0);
            var touched = new ExpertsTouched(affinity, new[] { 0 }, experts, topK, CpuBackend.Instance, 11);
            var logits = new float[tokens * experts];
            var chosen = new int[tokens * topK];
            var full = new int[experts];
            var sample = new int[experts];
            var perExpert = new double[experts];
            var rest = new double[experts];
            double fullSum = 0, correctedSum = 0, sampleSum = 0;
            for (int b = 0; b < batches; b++)
            {
                for (int t = 0; t < tokens; t++) affinity.Logits(b * 1000 + t, 0, 0, new Span<float>(logits, t * experts, experts));
                Array.Clear(full, 0, experts);
                CpuBackend.Instance.GateTopK(logits, tokens, experts, topK, chosen, full);
                fullSum += full.Count(c => c > 0);
                // The sample: every (tokens / 8)-th token, as MoeReplica spreads it.
                Array.Clear(sample, 0, experts);
                for (int k = 0; k < sampled; k++)
                {
                    int t = (int)((k + 0.5) * tokens / sampled);
                    for (int j = 0; j < topK; j++) sample[chosen[t * topK + j]]++;
                }
                sampleSum += sample.Count(c => c > 0);
                touched.Extend(0, sample, sampled, tokens, DeterministicRng.Mix((ulong)b), perExpert, rest);
                correctedSum += perExpert.Count(x => x > 0);
                Assert.That(perExpert.Sum(), Is.EqualTo(tokens * topK).Within(0.08 * tokens * topK), "tokens x top-k are spread");
            }
            double fullMean = fullSum / batches, correctedMean = correctedSum / batches;
            if (skew == 0)
                Assert.That(fullMean, Is.EqualTo(64 * (1 - Math.Pow(58.0 / 64, tokens))).Within(0.5), "full routing, against the formula");
            Assert.That(correctedMean, Is.EqualTo(fullMean).Within(0.02 * fullMean), "the correction against full routing");
            Assert.That(sampleSum / batches, Is.LessThan(fullMean - 5), "the sample alone undercounts");
        }

        /// <summary>The shipped MoE example (first 1,500 requests of its trace), with scene overrides.</summary>
        static MoeSummary RunExample(params string[] overrides)
        {
            Scene scene = SceneLoader.Load(Repository.PathOf("scenes/examples/moe-mixtral-offload.yaml"), overrides);
            var workload = SceneWorkload.Open(scene);
            using var simulation = new Simulation(scene, workload.Requests.Take(1500), 1500, workload.SourceName);
            simulation.Run();
            return SummaryBuilder.Build(simulation, "cpu", 0).Moe!;
        }

        static readonly string[] Perfect = { "moe.predictor_accuracy=1", "moe.predictor_shallow_drop=0", "moe.predictor_prefill_drop=0" };

        static readonly string[] DeepSeek = { "model=deepseek-v2-lite", "parallelism.tp=1", "moe.hbm_slots_per_layer=16" };

        [TestCase(false)]
        [TestCase(true)]
        public void APerfectPredictorNeverStallsMoreThanAWorseOne(bool deepSeek)
        {
            // On the shipped Mixtral example and on a held-out shape (DeepSeek-V2-Lite, 64 experts, 16 of them in HBM per
            // layer): stall grows as the predictor worsens, and prefetch with a perfect predictor beats loading on demand.
            string[] shape = deepSeek ? DeepSeek : Array.Empty<string>();
            MoeSummary perfect = RunExample(shape.Concat(Perfect).ToArray());
            double previous = perfect.StallS;
            Assert.That(perfect.PredictionRecall, Is.EqualTo(1));
            foreach (string accuracy in new[] { "0.9", "0.7", "0.4" })
            {
                MoeSummary worse = RunExample(shape.Concat(new[] { "moe.predictor_accuracy=" + accuracy }).ToArray());
                Assert.That(worse.StallS, Is.GreaterThanOrEqualTo(previous), "accuracy " + accuracy);
                Assert.That(worse.PredictionRecall, Is.LessThan(1));
                previous = worse.StallS;
            }
            MoeSummary none = RunExample(shape.Concat(new[] { "moe.prefetch=false" }).ToArray());
            Assert.That(none.StallS, Is.GreaterThan(perfect.StallS));
            Assert.That(none.PrefetchWaitS, Is.EqualTo(0));
        }
    }
}
