using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Sim.Core.PerfModel;

namespace Sim.Core.Tests.PerfModel
{
    /// <summary>
    /// Operator times worked by hand from the A100 datasheet (2,039 GB/s, 312 TFLOPS, 300 GB/s NVLink per direction,
    /// 14 µs per ring step) and the round efficiencies of <see cref="PerfTestSpecs.Efficiency"/>: GEMM 75% of peak,
    /// 80% of bandwidth, 5 µs floor, tiles of 128 tokens.
    /// </summary>
    public class RooflinePerfModelTests
    {
        const double PeakFlops = 312e12, BandwidthBytesPerS = 2039e9, LinkBytesPerS = 300e9, StepLatencyS = 14e-6;
        const double GemmCompute = 0.75, GemmMemory = 0.8, GemmFloorS = 5e-6, AttentionFloorS = 5e-6;

        static RooflinePerfModel Model(string id, int tp = 1, int pp = 1, double overheadS = 0) =>
            new RooflinePerfModel(PerfTestSpecs.Model(id), PerfTestSpecs.A100, new Parallelism { Tp = tp, Pp = pp }, PerfTestSpecs.Efficiency, overheadS);

        static double Op(RooflinePerfModel model, string op, params SequenceWork[] batch) =>
            model.LayerBreakdown(batch).Single(time => time.Op == op).TimeS;

        static SequenceWork Prefill(int tokens) => new SequenceWork(tokens, 0);

        static SequenceWork Decode(int context) => new SequenceWork(1, context);

        [Test]
        public void QkvProjectionOfA512TokenPrefillIsComputeBound()
        {
            // Llama-2-7B attn_pre_proj, TP 1: [512 × 4096] × [4096 × 3·4096].
            // FLOPs = 2·512·4096·12288 = 51,539,607,552 → / (312e12 × 0.75) = 220.26 µs.
            // Bytes = 2·(4096·12288 + 512·4096 + 512·12288) = 117,440,512 → / (2,039e9 × 0.8) = 72.00 µs.
            // max(…) + 5 µs floor = 225.26 µs. (The Vidur A100 profile measured 234 µs.)
            double computeS = 2.0 * 512 * 4096 * 12288 / (PeakFlops * GemmCompute);
            double memoryS = 2.0 * (4096.0 * 12288 + 512.0 * 4096 + 512.0 * 12288) / (BandwidthBytesPerS * GemmMemory);
            Assert.That(computeS, Is.GreaterThan(memoryS));
            Assert.That(computeS + GemmFloorS, Is.EqualTo(225.26e-6).Within(0.01e-6));
            Assert.That(Op(Model("llama-2-7b"), "attn_pre_proj", Prefill(512)), Is.EqualTo(computeS + GemmFloorS).Within(1e-12));
        }

        [Test]
        public void DownProjectionOfOneTokenStreamsItsWeights()
        {
            // Llama-2-7B mlp_down_proj, TP 1, one token: bytes = 2·(11008·4096 + 11008 + 4096) = 90,207,744
            // → / (2,039e9 × 0.8) = 55.30 µs; compute on a whole 128-token tile = 2·128·11008·4096 / 234e12 = 49.33 µs.
            // max + 5 µs = 60.30 µs. (Measured: 60 µs.)
            double memoryS = 2.0 * (11008.0 * 4096 + 11008 + 4096) / (BandwidthBytesPerS * GemmMemory);
            double tileComputeS = 2.0 * 128 * 11008 * 4096 / (PeakFlops * GemmCompute);
            Assert.That(memoryS, Is.GreaterThan(tileComputeS));
            Assert.That(Op(Model("llama-2-7b"), "mlp_down_proj", Decode(100)), Is.EqualTo(memoryS + GemmFloorS).Within(1e-12));
        }

        [Test]
        public void TensorParallelismHalvesTheWeightsEachGpuStreams()
        {
            // At one token a GEMM is weight-bound: TP 2 reads 5504×4096 of the 11008×4096 down projection,
            // so the time above the floor halves (the activations make it 45,107,968 / 90,207,744 = 0.50005).
            double tp1 = Op(Model("llama-2-7b", tp: 1), "mlp_down_proj", Decode(100)) - GemmFloorS;
            double tp2 = Op(Model("llama-2-7b", tp: 2), "mlp_down_proj", Decode(100)) - GemmFloorS;
            Assert.That(tp2 / tp1, Is.EqualTo(45107968.0 / 90207744.0).Within(1e-9));
        }

        [Test]
        public void DecodeAttentionReadsTheWholeKvCacheOfItsContext()
        {
            // Llama-2-7B, TP 1, one decode after 4,095 cached tokens: K and V of 4,096 tokens, 32 heads × 128 × 2 each,
            // plus the query and output: bytes = 2·(4096·8192 + 2·4096) = 67,125,248 → / (2,039e9 × 0.8) = 41.15 µs.
            // FLOPs = 4·32·128·4096 → 0.36 µs at 60% of peak: memory-bound. + 5 µs floor.
            var model = Model("llama-2-7b");
            double expectedS = 2.0 * (4096.0 * 8192 + 2 * 4096) / (BandwidthBytesPerS * 0.8) + AttentionFloorS;
            Assert.That(Op(model, "attn_decode", Decode(4095)), Is.EqualTo(expectedS).Within(1e-12));

            double doubledS = Op(model, "attn_decode", Decode(8191)) - AttentionFloorS;
            Assert.That(doubledS / (expectedS - AttentionFloorS), Is.EqualTo((8192.0 * 8192 + 8192) / (4096.0 * 8192 + 8192)).Within(1e-9));
            Assert.That(Op(model, "attn_prefill", Decode(4095)), Is.EqualTo(0));
        }

        [Test]
        public void GroupedQueryAttentionReadsOnlyTheKvHeads()
        {
            // Llama-3-8B has 8 KV heads of 32: one decode after 4,095 tokens reads 2·(4096·2·8·128 + 2·32·128) bytes.
            double expectedS = 2.0 * (4096.0 * 2048 + 2 * 4096) / (BandwidthBytesPerS * 0.8) + AttentionFloorS;
            Assert.That(Op(Model("llama-3-8b"), "attn_decode", Decode(4095)), Is.EqualTo(expectedS).Within(1e-12));
        }

        [Test]
        public void PrefillAttentionCountsCausalPairs()
        {
            // Llama-2-7B, TP 1, one 2,048-token prefill: pairs = 2048·(2048+1)/2 = 2,098,176;
            // FLOPs = 4·32·128·pairs = 34,376,302,592 → / (312e12 × 0.6) = 183.63 µs, far above its bytes. + 5 µs floor.
            double expectedS = 4.0 * 32 * 128 * (2048.0 * 2049 / 2) / (PeakFlops * 0.6) + AttentionFloorS;
            Assert.That(Op(Model("llama-2-7b"), "attn_prefill", Prefill(2048)), Is.EqualTo(expectedS).Within(1e-12));
        }

        [Test]
        public void AllReduceIsARingOverTheTensorParallelGroup()
        {
            // Llama-2-70B, TP 4, 512 tokens: each all-reduce carries 512·8192·2 = 8,388,608 bytes;
            // ring: 2·3/4 of it over 300e9 × 0.6 B/s = 69.91 µs, plus 2·3 steps × 14 µs = 84 µs → 153.91 µs; two per layer.
            double oneS = 2.0 * 3 / 4 * 8388608 / (LinkBytesPerS * 0.6) + 2 * 3 * StepLatencyS;
            Assert.That(oneS, Is.EqualTo(153.91e-6).Within(0.01e-6));
            Assert.That(Op(Model("llama-2-70b", tp: 4), "all_reduce", Prefill(512)), Is.EqualTo(2 * oneS).Within(1e-12));
            Assert.That(Op(Model("llama-2-70b", tp: 1), "all_reduce", Prefill(512)), Is.EqualTo(0));
        }

        [Test]
        public void IterationIsAllLayersPlusTheLmHeadAndOverhead()
        {
            // LM head for one sequence: [1 × 4096] × [4096 × 32000], weight-bound:
            // 2·(4096·32000 + 4096 + 32000) bytes / (2,039e9 × 0.8) + 5 µs = 165.75 µs.
            const double overheadS = 2e-3;
            var model = Model("llama-2-7b", overheadS: overheadS);
            var batch = new[] { Prefill(512) };
            double layerS = model.LayerBreakdown(batch).Sum(op => op.TimeS);
            double lmHeadS = 2.0 * (4096.0 * 32000 + 4096 + 32000) / (BandwidthBytesPerS * GemmMemory) + GemmFloorS;
            Assert.That(model.IterationTimeS(batch), Is.EqualTo(32 * layerS + lmHeadS + overheadS).Within(1e-12));

            // Two pipeline stages add one hand-off of the activations: 512·4096·2 bytes over the link + one step.
            double handOffS = 512.0 * 4096 * 2 / (LinkBytesPerS * 0.6) + StepLatencyS;
            Assert.That(Model("llama-2-7b", pp: 2, overheadS: overheadS).IterationTimeS(batch),
                Is.EqualTo(32 * layerS + handOffS + lmHeadS + overheadS).Within(1e-12));
        }

        [Test]
        public void AnEmptyBatchCostsOnlyTheOverhead()
        {
            Assert.That(Model("llama-2-7b", overheadS: 1e-3).IterationTimeS(ReadOnlySpan<SequenceWork>.Empty), Is.EqualTo(1e-3));
        }

        [Test]
        public void RoutedExpertsReadTheExpertsTheBatchTouches()
        {
            // Mixtral-8x7B, TP 1: 8 experts of 14,336 (gate+up 4096×28672, down 14336×4096), 2 per token.
            // Under uniform routing t tokens touch 8·(1 − (6/8)^t) experts: 2 for one token, all but 1e-8 of 8 for 64.
            double ExpectedS(int tokens)
            {
                double touched = 8 * (1 - Math.Pow(0.75, tokens));
                double perExpert = tokens * 2 / touched;
                double Gemm(double k, double n) => Math.Max(
                    2 * touched * 128 * k * n / (PeakFlops * GemmCompute),
                    2 * touched * (k * n + perExpert * k + perExpert * n) / (BandwidthBytesPerS * GemmMemory)) + GemmFloorS;
                double activationS = 2.0 * 3 * tokens * 2 * 14336 / (BandwidthBytesPerS * 0.5) + 2e-6;
                return Gemm(4096, 28672) + activationS + Gemm(14336, 4096);
            }

            var model = Model("mixtral-8x7b");
            Assert.That(model.OperatorCount, Is.EqualTo(14));
            Assert.That(Op(model, "moe_experts", Decode(100)), Is.EqualTo(ExpectedS(1)).Within(1e-12));
            var batch = Enumerable.Repeat(Decode(100), 64).ToArray();
            Assert.That(Op(model, "moe_experts", batch), Is.EqualTo(ExpectedS(64)).Within(1e-12));
            // Hand figure for one token: (469,893,120 + 234,954,752) bytes / (2,039e9 × 0.8) + two 5 µs GEMM floors
            // + the activation (0.17 µs + 2 µs floor) = 444.27 µs.
            Assert.That(ExpectedS(1), Is.EqualTo(444.27e-6).Within(0.01e-6));
            Assert.That(Op(model, "mlp_up_proj", Decode(100)), Is.EqualTo(0), "Mixtral has no shared experts");
        }

        [Test]
        public void DenseModelsHaveNoMoeOperators()
        {
            var names = Model("llama-2-7b").LayerBreakdown(new[] { Prefill(8) }).Select(op => op.Op).ToArray();
            Assert.That(names, Is.EqualTo(new[]
            {
                "input_layernorm", "attn_pre_proj", "attn_rope", "attn_prefill", "attn_decode", "attn_post_proj",
                "post_attention_layernorm", "mlp_up_proj", "mlp_act", "mlp_down_proj", "add", "all_reduce",
            }));
        }

        [Test]
        public void IterationTimeNeverFallsAsTokensGrow()
        {
            var model = new RooflinePerfModel(PerfTestSpecs.Model("llama-3-70b"), PerfTestSpecs.A100, new Parallelism { Tp = 4 }, RooflineEfficiency.Default, 1e-3);
            double previousS = 0;
            for (int tokens = 1; tokens <= 4096; tokens++)
            {
                double s = model.IterationTimeS(new[] { Prefill(tokens) });
                Assert.That(s, Is.GreaterThanOrEqualTo(previousS), "prefill of " + tokens);
                previousS = s;
            }
            previousS = 0;
            var decodes = new List<SequenceWork>();
            for (int sequences = 1; sequences <= 512; sequences++)
            {
                decodes.Add(Decode(1000));
                double s = model.IterationTimeS(decodes.ToArray());
                Assert.That(s, Is.GreaterThan(previousS), sequences + " decodes");
                previousS = s;
            }
        }

        [Test]
        public void IterationTimeAllocatesNothing()
        {
            var model = new RooflinePerfModel(PerfTestSpecs.Model("mixtral-8x7b"), PerfTestSpecs.A100, new Parallelism { Tp = 2, Pp = 2 }, RooflineEfficiency.Default, 1e-3);
            var batch = new SequenceWork[64];
            for (int i = 0; i < batch.Length; i++) batch[i] = i % 8 == 0 ? new SequenceWork(256, 128 * i) : Decode(100 + i);
            double sum = 0;
            for (int i = 0; i < 100; i++) sum += model.IterationTimeS(batch);
            // The fewest bytes of three rounds of 1,000 calls: an allocation of the calls shows in every round, one the runtime
            // makes on this thread as it recompiles the test's loop (seen once in a full run) in one round only.
            long allocated = long.MaxValue;
            for (int round = 0; round < 3; round++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < 1000; i++) sum += model.IterationTimeS(batch);
                allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
            }
            Assert.That(allocated, Is.EqualTo(0));
            Assert.That(sum, Is.GreaterThan(0));
        }
    }
}
