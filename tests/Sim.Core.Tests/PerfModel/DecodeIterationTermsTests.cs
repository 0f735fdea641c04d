using System;
using System.Linq;
using CsCheck;
using NUnit.Framework;
using Sim.Core.PerfModel;

namespace Sim.Core.Tests.PerfModel
{
    /// <summary>
    /// A decode-only batch's iteration time, whose terms that depend on the batch size alone are kept per size, against the
    /// same iteration summed from the operator breakdown (each operator computed afresh): equal to the last bit, for
    /// batches of every size met in any order, with and without decode KV tiles and a per-sequence attention cost, dense and
    /// MoE, with pipeline stages.
    /// </summary>
    public class DecodeIterationTermsTests
    {
        static RooflinePerfModel Model(string id, int tp, int pp, RooflineEfficiency efficiency) =>
            new RooflinePerfModel(PerfTestSpecs.Model(id), PerfTestSpecs.A100, new Parallelism { Tp = tp, Pp = pp }, efficiency, 2e-3);

        static double FromBreakdown(RooflinePerfModel model, int layers, SequenceWork[] batch)
        {
            double layerS = 0;
            foreach (OperatorTime op in model.LayerBreakdown(batch)) layerS += op.TimeS;
            var outside = model.OutsideLayersBreakdown(batch);
            double handOffS = outside.Single(o => o.Op == "pipeline_handoff").TimeS, lmHeadS = outside.Single(o => o.Op == "lm_head").TimeS;
            return layers * layerS + (handOffS + lmHeadS + outside.Single(o => o.Op == "overhead").TimeS);
        }

        // Decode attention's per-sequence cost (0 in the default factors) is one of the terms kept per batch size.
        [TestCase("llama-2-70b", 2, 1, 1, 0.0)]
        [TestCase("llama-2-70b", 4, 2, 64, 0.0)]
        [TestCase("mixtral-8x7b", 2, 2, 16, 0.0)]
        [TestCase("llama-2-70b", 2, 1, 1, 3.7e-7)]
        [TestCase("mixtral-8x7b", 8, 1, 16, 1.3e-6)]
        public void DecodeBatchesTakeTheTimeTheirOperatorsSumTo(string id, int tp, int pp, int decodeTile, double perSequenceS)
        {
            ModelSpec spec = PerfTestSpecs.Model(id);
            RooflineEfficiency efficiency = PerfTestSpecs.Efficiency;
            efficiency.AttentionDecodeKvTile = decodeTile;
            efficiency.AttentionDecodePerSequenceS = perSequenceS;
            var model = new RooflinePerfModel(spec, PerfTestSpecs.A100, new Parallelism { Tp = tp, Pp = pp }, efficiency, 2e-3);
            // Batches of few sizes, so most calls find their size's terms kept, between contexts of any length.
            Gen.Int[1, 12].SelectMany(size => Gen.Int[1, 30000].Array[size])
                .Sample(contexts =>
                {
                    SequenceWork[] batch = contexts.Select(c => new SequenceWork(1, c)).ToArray();
                    Assert.That(model.IterationTimeS(batch), Is.EqualTo(FromBreakdown(model, spec.Layers, batch)));
                }, iter: 400, threads: 1);
        }

        // Decode attention's compute share: memory-bound at the default factors, bound by its FLOPs at long contexts as the
        // compute efficiency falls (the maximum then taken as computed, not assumed to be the reads').
        [TestCase(1.0)]
        [TestCase(0.02)]
        [TestCase(0.004)]
        [TestCase(0.0005)]
        public void DecodeBatchesBoundByEitherSideTakeTheTimeTheirOperatorsSumTo(double attentionCompute)
        {
            ModelSpec spec = PerfTestSpecs.Model("llama-2-70b");
            RooflineEfficiency efficiency = PerfTestSpecs.Efficiency;
            efficiency.AttentionCompute = attentionCompute;
            var model = new RooflinePerfModel(spec, PerfTestSpecs.A100, new Parallelism { Tp = 2 }, efficiency, 2e-3);
            Gen.Int[1, 12].SelectMany(size => Gen.Int[1, 30000].Array[size])
                .Sample(contexts =>
                {
                    SequenceWork[] batch = contexts.Select(c => new SequenceWork(1, c)).ToArray();
                    Assert.That(model.IterationTimeS(batch), Is.EqualTo(FromBreakdown(model, spec.Layers, batch)));
                }, iter: 400, threads: 1);
        }

        [Test]
        public void ABatchWithAPrefillIsNotTakenForADecodeBatchOfItsSize()
        {
            ModelSpec spec = PerfTestSpecs.Model("llama-2-70b");
            var model = new RooflinePerfModel(spec, PerfTestSpecs.A100, new Parallelism { Tp = 2 }, PerfTestSpecs.Efficiency, 0);
            var decodes = new[] { new SequenceWork(1, 100), new SequenceWork(1, 200) };
            var mixed = new[] { new SequenceWork(1, 100), new SequenceWork(1, 0) };
            model.IterationTimeS(decodes);
            Assert.That(model.IterationTimeS(mixed), Is.EqualTo(FromBreakdown(model, spec.Layers, mixed)));
            Assert.That(model.IterationTimeS(mixed), Is.Not.EqualTo(model.IterationTimeS(decodes)));
        }

        // A run of batches priced at once (four at a time, side by side, where attention is bound by its reads) against each
        // batch priced alone: to the bit, bound by either side.
        [Test]
        public void DecodeRunsTakeTheTimeOfEachBatchPricedAlone([Values("llama-2-70b", "mixtral-8x7b")] string id, [Values(1, 2)] int pp,
            [Values(1.0, 0.0005)] double attentionCompute)
        {
            RooflineEfficiency efficiency = PerfTestSpecs.Efficiency;
            efficiency.AttentionCompute = attentionCompute;
            var seconds = new double[4];
            RooflinePerfModel model = Model(id, 2, pp, efficiency);
            Gen.Select(Gen.Int[1, 128], Gen.Long[1, 4_000_000])
                .Sample((sequences, kvTokens) =>
                {
                    model.DecodeRunS(sequences, kvTokens, seconds);
                    for (int k = 0; k < seconds.Length; k++)
                    {
                        double kv = kvTokens + (long)k * sequences;
                        Assert.That(seconds[k], Is.EqualTo(model.DecodeBatchS(sequences, kv, kv)), $"batch {k} of {sequences} from {kvTokens}");
                    }
                }, iter: 2000, threads: 1);
        }

        [TestCase("llama-2-70b", 2, 1, 1)]
        [TestCase("llama-2-70b", 4, 2, 64)]
        [TestCase("mixtral-8x7b", 2, 2, 16)]
        public void DecodeBatchesPricedFromTheirSumsTakeTheTimeOfTheWholeBatch(string id, int tp, int pp, int decodeTile)
        {
            RooflineEfficiency efficiency = PerfTestSpecs.Efficiency;
            efficiency.AttentionDecodeKvTile = decodeTile;
            RooflinePerfModel model = Model(id, tp, pp, efficiency);
            Assert.That(model.DecodeKvTile, Is.EqualTo(decodeTile));
            Gen.Int[1, 40].SelectMany(size => Gen.Int[1, 30000].Array[size])
                .Sample(contexts =>
                {
                    // The sums in whole numbers: each decode reads its context and its new token, rounded up to whole tiles.
                    long kvTokens = contexts.Sum(c => (long)c + 1);
                    long tiledKvTokens = contexts.Sum(c => ((long)c + decodeTile) / decodeTile * decodeTile);
                    SequenceWork[] batch = contexts.Select(c => new SequenceWork(1, c)).ToArray();
                    Assert.That(model.DecodeBatchS(contexts.Length, kvTokens, tiledKvTokens), Is.EqualTo(model.IterationTimeS(batch)));
                }, iter: 400, threads: 1);
        }
    }
}
