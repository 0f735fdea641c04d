using System.Linq;
using NUnit.Framework;
using Sim.Core.PerfModel;

namespace Sim.Core.Tests.PerfModel
{
    /// <summary>The attention terms worked out by hand: Llama-2-7B (32 heads of 128, 32 KV heads) at TP 1 on an A100 (312 TFLOPS, 2,039 GB/s).</summary>
    public class AttentionRooflineTests
    {
        static double LayerMs(RooflineEfficiency efficiency, string op, params SequenceWork[] batch) =>
            new RooflinePerfModel(PerfTestSpecs.Model("llama-2-7b"), PerfTestSpecs.A100, new Parallelism { Tp = 1 }, efficiency, 0)
                .LayerBreakdown(batch).Single(t => t.Op == op).TimeS * 1e3;

        [Test]
        public void PrefillRoundsItsKeysToWholeTilesAndPaysItsFloorAndPerChunkCost()
        {
            // 1,000 tokens after 30, KV tile 256: keys 1,030 -> 1,280; pairs 1,000 x (1,280 - 999/2) = 780,500;
            // 4 x 32 x 128 x 780,500 FLOP at 312e12 x 0.5 = 81.973 µs, above the K/V/Q/O bytes' 20.390 µs at 0.8 of
            // 2,039 GB/s; + 10 µs floor + 2 µs for the one chunk = 93.973 µs.
            var efficiency = new RooflineEfficiency { AttentionCompute = 0.5, AttentionPrefillFloorS = 10e-6, AttentionPrefillPerSequenceS = 2e-6, AttentionPrefillKvTile = 256 };
            Assert.That(LayerMs(efficiency, "attn_prefill", new SequenceWork(1000, 30)), Is.EqualTo(0.0939725128).Within(1e-9));
        }

        [Test]
        public void DecodeReadsWholeTilesOfEachContextAndPaysPerSequence()
        {
            // Two decodes after 70 tokens, KV tile 64: each reads 71 -> 128 tokens of 8,192 K/V elements, 2 bytes each, plus
            // its Q and O: 2 x (256 x 8,192 + 2 x 2 x 4,096) B at 0.5 of 2,039 GB/s = 4.1462 µs; + 10 µs + 2 x 1 µs = 16.1462 µs.
            var efficiency = new RooflineEfficiency { AttentionMemory = 0.5, AttentionDecodeFloorS = 10e-6, AttentionDecodePerSequenceS = 1e-6, AttentionDecodeKvTile = 64 };
            Assert.That(LayerMs(efficiency, "attn_decode", new SequenceWork(1, 70), new SequenceWork(1, 70)), Is.EqualTo(0.0161462207).Within(1e-9));
        }

        [Test]
        public void WithoutTilesOrPerSequenceCostsTheDefaultsAreUnchanged()
        {
            // Tiles of 1 and no per-sequence cost: the causal pairs 100 x (30 + 101/2) and the 7 µs floor, as before.
            var efficiency = new RooflineEfficiency();
            double flopsS = 4.0 * 32 * 128 * 100 * (30 + 101 / 2.0) / (312e12 * 0.6);
            double bytesS = 2.0 * (2 * 100 * 4096 + 2 * 130 * 4096) / (2039e9 * 0.8);
            Assert.That(LayerMs(efficiency, "attn_prefill", new SequenceWork(100, 30)), Is.EqualTo((System.Math.Max(flopsS, bytesS) + 7e-6) * 1e3).Within(1e-12));
        }
    }
}
