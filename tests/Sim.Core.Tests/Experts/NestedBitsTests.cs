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
    /// <summary>Bit-nested experts (D2MoE): the byte-counting cache, one layer's low-bit miss and refinement, and the trade at equal cache bytes.</summary>
    public class NestedBitsTests
    {
        static ModelSpec Mixtral => TestScenes.Mixtral;

        static HardwareSpec A100 => TestScenes.A100;

        // One Mixtral expert's TP-4 shard at 16 bits: 3 x 4,096 x 14,336 x 2 bytes / 4 = 88,080,384 bytes; at 2, 4 and 8
        // bits an eighth, a quarter and a half of it. The A100's PCIe moves 32 GB/s.
        const double ShardBytes = 88_080_384;
        const double PcieBytesPerS = 32e9;

        [Test]
        public void TheCacheCountsBytesAndAColdExpertGivesUpItsRefinementBitsFirst()
        {
            // Widths worth 1, 2 and 4 units, 8 units of room, one layer of five experts.
            var cache = new NestedExpertCache(1, 5, new double[] { 0, 1, 2, 4 }, 8);
            cache.BeginLayer();
            Assert.That(cache.TryRaise(0, 0, 3, true, out double bytes), Is.True);
            Assert.That(bytes, Is.EqualTo(4));
            cache.Touch(0, 0);
            Assert.That(cache.TryRaise(0, 1, 1, true, out _) && cache.TryRaise(0, 1, 3, false, out bytes), Is.True);
            Assert.That(bytes, Is.EqualTo(3), "refining level 1 to 3 moves only the difference");
            cache.Touch(0, 1);
            Assert.That(cache.UsedBytes, Is.EqualTo(8));

            // Expert 2's first load (1 unit) drops the top level of expert 0, the least recently used with refinement bits:
            // 8 - 2 + 1 = 7 used;
            // its next level fits in the last unit.
            cache.BeginLayer();
            cache.Protect(0, 2);
            Assert.That(cache.TryRaise(0, 2, 1, true, out _) && cache.TryRaise(0, 2, 2, false, out _), Is.True);
            Assert.That((cache.Level(0, 0), cache.UsedBytes), Is.EqualTo((2, 8.0)));
            // Its top level (2 more units) takes refinement bits only, least recently used first: expert 0's second level
            // (1 unit), then expert 1's third (2 units): 8 - 3 + 2 = 7 used, and both keep their narrowest part.
            Assert.That(cache.TryRaise(0, 2, 3, false, out bytes), Is.True);
            cache.Touch(0, 2);
            Assert.That(bytes, Is.EqualTo(2));
            Assert.That((cache.Level(0, 0), cache.Level(0, 1), cache.Level(0, 2), cache.UsedBytes), Is.EqualTo((1, 2, 3, 7.0)));

            // Expert 3 loads its first level in the free unit and its second from expert 1's; its third would need refinement
            // bits that no unprotected expert has left: it waits, nothing moves.
            cache.BeginLayer();
            cache.Protect(0, 2);
            cache.Protect(0, 3);
            Assert.That(cache.TryRaise(0, 3, 1, true, out _) && cache.TryRaise(0, 3, 2, false, out _), Is.True);
            cache.Touch(0, 3);
            Assert.That((cache.Level(0, 1), cache.UsedBytes), Is.EqualTo((1, 8.0)));
            Assert.That(cache.TryRaise(0, 3, 3, false, out bytes), Is.False);
            Assert.That(bytes, Is.EqualTo(0));

            // When the unprotected experts hold only their narrowest parts, a first load empties the least recently used
            // (expert 0), which goes back to the offload tier.
            cache.BeginLayer();
            for (int e = 2; e < 5; e++) cache.Protect(0, e);
            Assert.That(cache.TryRaise(0, 4, 1, true, out _), Is.True);
            var emptied = new int[5];
            Assert.That(cache.TakeEmptied(emptied), Is.EqualTo(1));
            Assert.That((emptied[0], cache.Level(0, 0), cache.UsedBytes), Is.EqualTo((0, 0, 8.0)));

            // With every expert protected, a first load trims the least recently used protected expert's refinement bits
            // (expert 2's top level, 2 units), never an expert's narrowest.
            cache.BeginLayer();
            for (int e = 0; e < 5; e++) cache.Protect(0, e);
            Assert.That(cache.TryRaise(0, 0, 1, false, out _), Is.False);
            Assert.That(cache.TryRaise(0, 0, 1, true, out _), Is.True);
            Assert.That((cache.Level(0, 0), cache.Level(0, 2), cache.Level(0, 3), cache.UsedBytes), Is.EqualTo((1, 2, 2, 7.0)));
        }

        /// <summary>One Mixtral layer (16 of 32, TP 4) with two 16-bit slots' bytes, nested 2/4/8 bits, and one decode token.</summary>
        static (MoeReplica Moe, SchedulerOutput Batch, RooflinePerfModel Perf) OneDecodeToken(double hotShare, bool prefetch = false)
        {
            // Prefetch with a perfect predictor at every depth and phase.
            var settings = new MoeSettings
            {
                HbmSlotsPerLayer = 2, SampleLayers = 1, NestedBits = new NestedBits { HotShare = hotShare },
                Prefetch = prefetch, PredictorAccuracy = 1, PredictorShallowDrop = 0, PredictorPrefillDrop = 0,
            };
            var perf = new RooflinePerfModel(Mixtral, A100, new Parallelism { Tp = 4 }, RooflineEfficiency.Default, 0);
            var moe = new MoeReplica(new World(), 0, Mixtral, A100, 4, settings, CpuBackend.Instance, perf, 5);
            var batch = new SchedulerOutput(1);
            batch.Add(new ScheduledSequence { RequestId = 3, NewTokens = 1, ContextTokens = 100 });
            return (moe, batch, perf);
        }

        /// <summary>The routed experts' time of one token on one expert: the refined expert's own compute.</summary>
        static double OneExpertOneTokenS(RooflinePerfModel perf)
        {
            var tokens = new double[8];
            tokens[0] = 1;
            return perf.RoutedExpertsS(tokens, splitTensorParallel: true);
        }

        [Test]
        public void ALowBitMissLoadsTheNarrowPartAndTheHotExpertRefinesUnderTheLayersCompute()
        {
            // The cache starts empty: both of the token's experts miss and load 2 bits, 2 x 11,010,048 bytes = 0.688128 ms,
            // before the layer computes. One of two experts is hot (hot share 0.5; one token each, the lower index first):
            // it refines 2 -> 8 bits, 11,010,048 + 22,020,096 bytes = 1.032192 ms, while the layer computes 2 ms (64 ms / 32):
            // hidden. Stall 32 x 0.688128 ms = 22.020096 ms, against 176.160768 ms for two whole 16-bit experts on demand.
            (MoeReplica moe, SchedulerOutput batch, _) = OneDecodeToken(hotShare: 0.5);
            double extraS = moe.IterationExtraS(batch, baseS: 0.064, out _);
            Assert.That(extraS, Is.EqualTo(0.022020096).Within(1e-9));
            Assert.That((moe.Stats.Misses, moe.Stats.RefineWaitS), Is.EqualTo((2L, 0.0)));
            Assert.That(moe.Stats.BytesLoaded, Is.EqualTo(32 * (2 * ShardBytes / 8 + ShardBytes * 3 / 8)).Within(1e-3));
            // One token visit at 8 bits and one at 2: 5 bits a visit; quality (1.0 + 0.85) / 2.
            Assert.That(moe.Stats.BitsPerToken, Is.EqualTo(5));
            Assert.That(moe.Stats.QualityProxy, Is.EqualTo(0.925).Within(1e-12));

            // The next token of the same step finds both resident: two hits, nothing moves, the same bits.
            Assert.That(moe.IterationExtraS(batch, baseS: 0.064, out _), Is.EqualTo(0).Within(1e-12));
            Assert.That((moe.Stats.Hits, moe.Stats.BitsPerToken), Is.EqualTo((2L, 5.0)));
        }

        [Test]
        public void APrefetchLoadsTheNarrowPartsUnderThePreviousLayersCompute()
        {
            // A perfect predictor names the token's two experts while the previous layer computes: their 2-bit parts,
            // 0.688128 ms, hide behind its 2 ms; the layer then hits both and refines the hot one under its own 2 ms. No stall;
            // the same bytes move as on demand, the same bits serve.
            (MoeReplica moe, SchedulerOutput batch, _) = OneDecodeToken(hotShare: 0.5, prefetch: true);
            Assert.That(moe.IterationExtraS(batch, baseS: 0.064, out double expertLoadS), Is.EqualTo(0).Within(1e-12));
            Assert.That(expertLoadS, Is.EqualTo(0).Within(1e-12));
            Assert.That((moe.Stats.PrefetchesIssued, moe.Stats.PrefetchesUseful, moe.Stats.Hits, moe.Stats.Misses), Is.EqualTo((2L, 2L, 2L, 0L)));
            Assert.That(moe.Stats.BytesLoaded, Is.EqualTo(32 * (2 * ShardBytes / 8 + ShardBytes * 3 / 8)).Within(1e-3));
            Assert.That(moe.Stats.BitsPerToken, Is.EqualTo(5));

            // Behind a 0.5 ms layer the prefetch waits 0.688128 - 0.5 ms a layer: 32 x 0.188128 ms = 6.020096 ms, the
            // refinement's own wait as without prefetch.
            (MoeReplica slow, SchedulerOutput slowBatch, _) = OneDecodeToken(hotShare: 0, prefetch: true);
            slow.IterationExtraS(slowBatch, baseS: 32 * 0.0005, out _);
            Assert.That(slow.Stats.PrefetchWaitS, Is.EqualTo(32 * (2 * ShardBytes / 8 / PcieBytesPerS - 0.0005)).Within(1e-12));
            Assert.That((slow.Stats.DemandLoadS, slow.Stats.RefineWaitS), Is.EqualTo((0.0, 0.0)));
        }

        [Test]
        public void ARefinementLongerThanTheLayersComputeStallsForTheRest()
        {
            // A layer of 0.5 ms: the hot expert computes after its 1.032192 ms refinement, so the layer waits
            // 1.032192 ms + its compute - 0.5 ms beyond the 0.688128 ms narrow loads.
            (MoeReplica moe, SchedulerOutput batch, RooflinePerfModel perf) = OneDecodeToken(hotShare: 0.5);
            double refinedComputeS = OneExpertOneTokenS(perf);
            double extraS = moe.IterationExtraS(batch, baseS: 32 * 0.0005, out double expertLoadS);
            double refineWaitS = ShardBytes * 3 / 8 / PcieBytesPerS + refinedComputeS - 0.0005;
            Assert.That(moe.Stats.RefineWaitS, Is.EqualTo(32 * refineWaitS).Within(1e-9));
            Assert.That(extraS, Is.EqualTo(32 * (2 * ShardBytes / 8 / PcieBytesPerS + refineWaitS)).Within(1e-9));
            Assert.That(expertLoadS, Is.EqualTo(extraS).Within(1e-12));
        }

        [Test]
        public void WithNoHotExpertsEveryTokenIsServedAtTheNarrowestWidth()
        {
            (MoeReplica moe, SchedulerOutput batch, _) = OneDecodeToken(hotShare: 0);
            Assert.That(moe.IterationExtraS(batch, baseS: 0.0005 * 32, out _), Is.EqualTo(32 * 2 * ShardBytes / 8 / PcieBytesPerS).Within(1e-9));
            Assert.That((moe.Stats.BitsPerToken, moe.Stats.QualityProxy), Is.EqualTo((2.0, 0.85)));
        }

        /// <summary>The shipped Mixtral offload example without prefetch, 3 of 8 experts' bytes per layer in HBM (first 1,500 requests).</summary>
        static RunSummary RunExample(params string[] overrides)
        {
            Scene scene = SceneLoader.Load(Repository.PathOf("scenes/examples/moe-mixtral-offload.yaml"), new[] { "moe.prefetch=false", "moe.hbm_slots_per_layer=3" }.Concat(overrides).ToArray());
            var workload = SceneWorkload.Open(scene);
            using var simulation = new Simulation(scene, workload.Requests.Take(1500), 1500, workload.SourceName);
            simulation.Run();
            return SummaryBuilder.Build(simulation, "cpu", 0);
        }

        [Test]
        public void AtEqualCacheBytesNestedBitsCutStallAndLatencyAtAQualityCost()
        {
            // D2MoE's finding: nested low-bit experts with the hot ones refined load fewer bytes, stall less and serve
            // faster than whole full-precision experts in the same HBM, at an accuracy the bit mix puts below full.
            RunSummary whole = RunExample();
            RunSummary nested = RunExample("moe.nested_bits.hot_share=0.25");
            Assert.That(nested.Moe!.BytesLoaded, Is.LessThan(whole.Moe!.BytesLoaded / 2));
            Assert.That(nested.Moe.StallS, Is.LessThan(whole.Moe.StallS / 2));
            Assert.That(nested.E2eS.Mean, Is.LessThan(whole.E2eS.Mean));
            Assert.That(nested.TbtS.Mean, Is.LessThan(whole.TbtS.Mean));
            Assert.That((whole.Moe.BitsPerToken, whole.Moe.QualityProxy), Is.EqualTo((16.0, 1.0)));
            Assert.That(nested.Moe.BitsPerToken, Is.InRange(2.0, 8.0));
            Assert.That(nested.Moe.QualityProxy, Is.InRange(0.85, 0.999));

            // More hot experts: more bits and quality, more bytes moved.
            RunSummary hotter = RunExample("moe.nested_bits.hot_share=1");
            Assert.That(hotter.Moe!.QualityProxy, Is.GreaterThan(nested.Moe.QualityProxy));
            Assert.That(hotter.Moe.BitsPerToken, Is.GreaterThan(nested.Moe.BitsPerToken));
            Assert.That(hotter.Moe.BytesLoaded, Is.GreaterThan(nested.Moe.BytesLoaded));
        }
    }
}
