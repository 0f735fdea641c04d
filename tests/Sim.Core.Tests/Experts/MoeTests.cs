using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Sim.Core.Components;
using Sim.Core.Compute;
using Sim.Core.Ecs;
using Sim.Core.Experts;
using Sim.Core.Metrics;
using Sim.Core.PerfModel;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Core.Tests.Support;
using Sim.Core.Trace;

namespace Sim.Core.Tests.Experts
{
    public class MoeTests
    {
        static ModelSpec Mixtral => TestScenes.Mixtral;

        static HardwareSpec A100 => TestScenes.A100;

        [Test]
        public void GateTakesTheTopKOfEachRowTiesToTheLowerExpert()
        {
            float[] logits = { 0.1f, 0.9f, 0.5f, 0.9f, /* row 2 */ 3, 1, 2, 0 };
            var chosen = new int[4];
            var load = new int[4];
            CpuBackend.Instance.GateTopK(logits, 2, 4, 2, chosen, load);
            Assert.That(chosen, Is.EqualTo(new[] { 1, 3, 0, 2 }));
            Assert.That(load, Is.EqualTo(new[] { 1, 1, 1, 1 }));
        }

        [Test]
        public void UniformRoutingSpreadsTokensEvenly()
        {
            // 8,000 tokens, top-2 of 8 experts without skew: each expert is picked with probability 1/4, so its count is
            // 2,000 with a standard deviation of sqrt(8000 x 1/4 x 3/4) = 38.7; all eight within 4 of them.
            var affinity = new ExpertAffinity(seed: 3, layers: 1, experts: 8, topK: 2, skew: 0, locality: 0);
            var logits = new float[8];
            var chosen = new int[2];
            var load = new int[8];
            for (int t = 0; t < 8000; t++)
            {
                affinity.Logits(t / 100, t % 100, 0, logits);
                CpuBackend.Instance.GateTopK(logits, 1, 8, 2, chosen, load);
            }
            Assert.That(load, Is.All.InRange(2000 - 155, 2000 + 155));
        }

        [Test]
        public void SkewConcentratesLoadAndLocalityRepeatsASequencesExperts()
        {
            var load = new int[8];
            var skewed = new ExpertAffinity(3, 1, 8, 2, skew: 1.5, locality: 0);
            var logits = new float[8];
            var chosen = new int[2];
            for (int t = 0; t < 4000; t++)
            {
                skewed.Logits(t, 0, 0, logits);
                CpuBackend.Instance.GateTopK(logits, 1, 8, 2, chosen, load);
            }
            Assert.That(load.Max(), Is.GreaterThan(3 * load.Min()));
            // With locality 1 every token of a request picks the same two experts.
            var local = new ExpertAffinity(3, 1, 8, 2, skew: 0, locality: 1);
            var firsts = new HashSet<(int, int)>();
            for (int position = 0; position < 50; position++)
            {
                local.Logits(7, position, 0, logits);
                CpuBackend.Instance.GateTopK(logits, 1, 8, 2, chosen, new int[8]);
                firsts.Add((Math.Min(chosen[0], chosen[1]), Math.Max(chosen[0], chosen[1])));
            }
            Assert.That(firsts.Count, Is.EqualTo(1));
        }

        [Test]
        public void LruAndLfuEvictDifferentExperts()
        {
            // Two slots holding experts 0 and 1: 0 serves 5 tokens, then 1 serves 1. Expert 2 then evicts the least recently
            // used (0) under lru but the least used (1) under lfu.
            foreach ((ExpertCachePolicy policy, int evicted) in new[] { (ExpertCachePolicy.Lru, 0), (ExpertCachePolicy.Lfu, 1) })
            {
                var cache = new ExpertCache(1, 3, 2, policy);
                cache.Use(0, 0, 5, out _, out _);
                cache.Use(0, 1, 1, out _, out _);
                Assert.That(cache.Use(0, 2, 1, out _, out _), Is.False, "a miss");
                Assert.That(cache.IsResident(0, evicted), Is.False, policy.ToString());
                Assert.That(cache.IsResident(0, 1 - evicted), Is.True, policy.ToString());
            }
        }

        [Test]
        public void AllToAllMatchesAHandCalculation()
        {
            // Mixtral (hidden 4,096, top-2, fp16) on 4 A100s with EP 4, 1,024 tokens: each GPU holds 256 tokens and sends
            // 3/4 of their 2 x 4,096 x 2-byte vectors away: 3,145,728 bytes; twice (dispatch, combine) over 300 GB/s + 14 us.
            var moe = new MoeReplica(new World(), 0, Mixtral, A100, 4, new MoeSettings { ExpertParallel = 4 }, CpuBackend.Instance,
                new RooflinePerfModel(Mixtral, A100, new Parallelism { Tp = 4 }, RooflineEfficiency.Default, 0), 1);
            Assert.That(moe.AllToAllS(1024), Is.EqualTo(2 * (3_145_728 / 300e9 + 14e-6)).Within(1e-15));
        }

        static RunSummary Run(MoeSettings settings, int requests = 20, int prompt = 64, int output = 30, double gapS = 0.5)
        {
            Scene scene = TestScenes.Small();
            scene.ModelId = "mixtral-8x7b";
            scene.Model = Mixtral;
            scene.TensorParallel = 4;
            scene.Moe = settings;
            var trace = new List<TraceRequest>();
            for (int i = 0; i < requests; i++) trace.Add(TestScenes.Request(i, i * gapS, prompt, output));
            var simulation = new Simulation(scene, trace, trace.Count, "test");
            simulation.Run();
            return SummaryBuilder.Build(simulation, "cpu", 0);
        }

        [Test]
        public void ACacheThatHoldsEveryExpertNeverMisses()
        {
            MoeSummary moe = Run(new MoeSettings { HbmSlotsPerLayer = 8, Skew = 1 }).Moe!;
            Assert.That(moe.CacheMisses, Is.EqualTo(0));
            Assert.That(moe.StallS, Is.EqualTo(0));
            Assert.That(moe.CacheHits, Is.GreaterThan(0));
        }

        [Test]
        public void APerfectPredictorLoadsEverythingAheadButStillWaitsForTheLink()
        {
            // One request at a time with a one-token prompt, so every iteration routes one token to 2 experts a layer, and
            // 2 of 8 experts per layer in HBM. A perfect prediction loads each layer's missing experts ahead, so nothing is
            // loaded on demand; but a one-token layer computes in far less than the 2.75 ms a shard takes over PCIe, so
            // the prefetches still stall, less than loading on demand does. A coin-flip predictor is worse than none: its
            // wrong guesses hold the link before the misses load on demand.
            MoeSettings Offload(bool prefetch, double accuracy) => new MoeSettings
            {
                HbmSlotsPerLayer = 2, Prefetch = prefetch, PredictorAccuracy = accuracy, PredictorShallowDrop = 0, PredictorPrefillDrop = 0,
            };
            MoeSummary none = Run(Offload(false, 0), requests: 4, prompt: 1, gapS: 100).Moe!;
            MoeSummary perfect = Run(Offload(true, 1), requests: 4, prompt: 1, gapS: 100).Moe!;
            MoeSummary half = Run(Offload(true, 0.5), requests: 4, prompt: 1, gapS: 100).Moe!;
            Assert.That((none.PrefetchWaitS, none.DemandLoadS), Is.EqualTo((0.0, none.StallS)));
            Assert.That((perfect.CacheMisses, perfect.DemandLoadS), Is.EqualTo((0L, 0.0)));
            Assert.That(perfect.PrefetchesUseful, Is.EqualTo(perfect.PrefetchesIssued));
            Assert.That(perfect.StallS, Is.GreaterThan(0));
            Assert.That(perfect.StallS, Is.LessThan(none.StallS));
            Assert.That(half.StallS, Is.GreaterThan(none.StallS));
            Assert.That(half.CacheMisses, Is.GreaterThan(0));
        }

        [Test]
        public void TheSameSeedGivesTheSameRouting()
        {
            var settings = new MoeSettings { HbmSlotsPerLayer = 5, Skew = 0.8, Locality = 0.3, Prefetch = true, PredictorAccuracy = 0.7 };
            RunSummary a = Run(settings), b = Run(settings);
            Assert.That((b.Moe!.CacheHits, b.Moe.CacheMisses, b.Moe.TokensRouted, b.MakespanS), Is.EqualTo((a.Moe!.CacheHits, a.Moe.CacheMisses, a.Moe.TokensRouted, a.MakespanS)));
        }

        [Test]
        public void ExpertsAreEntitiesWithTheirLoads()
        {
            var world = new World();
            var moe = new MoeReplica(world, 0, Mixtral, A100, 4, new MoeSettings { HbmSlotsPerLayer = 4 }, CpuBackend.Instance,
                new RooflinePerfModel(Mixtral, A100, new Parallelism { Tp = 4 }, RooflineEfficiency.Default, 0), 1);
            Assert.That(world.CountEntities(new QueryDescription().WithAll<ExpertState>()), Is.EqualTo(32 * 8));
            int offloaded = 0;
            world.Query(new QueryDescription().WithAll<ExpertState>(), (ref ExpertState e) => { if (e.Tier == ExpertTier.Host) offloaded++; });
            Assert.That(offloaded, Is.EqualTo(32 * 4), "4 of each layer's 8 experts start in host memory");
        }
    }
}
