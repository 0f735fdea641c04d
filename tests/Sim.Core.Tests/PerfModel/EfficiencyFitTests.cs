using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sim.Core.PerfModel;

namespace Sim.Core.Tests.PerfModel
{
    public class EfficiencyFitTests
    {
        static readonly string[] MlpOperators = { "input_layernorm", "attn_pre_proj", "attn_rope", "attn_post_proj", "post_attention_layernorm", "mlp_up_proj", "mlp_act", "mlp_down_proj", "add" };

        /// <summary>Factors unlike the defaults, to be recovered from tables the roofline made with them.</summary>
        static RooflineEfficiency Known => new RooflineEfficiency
        {
            GemmCompute = 0.55,
            GemmMemory = 0.66,
            NormMemory = 0.3,
            PointwiseMemory = 0.52,
            AddMemory = 0.85,
            AttentionCompute = 0.45,
            AttentionMemory = 0.7,
            AttentionPrefillFloorS = 12e-6,
            AttentionPrefillKvTile = 128,
            AttentionDecodeFloorS = 9e-6,
            AttentionDecodePerSequenceS = 0.4e-6,
            AttentionDecodeKvTile = 64,
            CollectiveBandwidth = 0.71,
        };

        string _dir = "";

        [SetUp]
        public void MakeFolder()
        {
            _dir = Path.Combine(Path.GetTempPath(), "sim-fit-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
        }

        [TearDown]
        public void RemoveFolder() => Directory.Delete(_dir, true);

        [Test]
        public void RecoversTheFactorsSyntheticTablesWereMadeWith()
        {
            ModelSpec model = PerfTestSpecs.Model("llama-3-8b");
            HardwareSpec gpu = PerfTestSpecs.A100;
            WriteSyntheticTables(_dir, model, gpu, Known);
            Calibration calibration = EfficiencyFit.Calibrate(_dir, model, gpu);
            foreach (var factor in EfficiencyFile.Factors)
                Assert.That(factor.Get(calibration.Fitted), Is.EqualTo(factor.Get(Known)).Within(1e-4).Percent, factor.Key);
            foreach (var tile in EfficiencyFile.Tiles)
                Assert.That(tile.Get(calibration.Fitted), Is.EqualTo(tile.Get(Known)), tile.Key);
            Assert.That(calibration.After.Max(e => e.MedianRelativeError), Is.LessThan(1e-6));
            Assert.That(calibration.Before.Single(e => e.Op == "mlp_up_proj").MedianRelativeError, Is.GreaterThan(0.1), "the defaults were far off");
        }

        [Test]
        public void HoldingOutLongRowsFitsOnTheRestAndReportsThemApart()
        {
            // Rows spanning 2,048 tokens or more are held out: the MLP rows of 2,048 and 4,096 tokens (2 sizes x 4 TP degrees x
            // 9 operators = 72), prefill chunks of 2,048 and every chunk after 4,096 cached tokens (5 of 9 per TP: 20),
            // decodes after 4,096 (3 per TP: 12), all-reduces of 2,048 tokens x 8,192 bytes or more (3 per TP degree above 1: 9).
            ModelSpec model = PerfTestSpecs.Model("llama-3-8b");
            HardwareSpec gpu = PerfTestSpecs.A100;
            WriteSyntheticTables(_dir, model, gpu, Known);
            Calibration calibration = EfficiencyFit.Calibrate(_dir, model, gpu, holdOutFromTokens: 2048);
            Assert.That(calibration.HeldOut, Is.Not.Null);
            Assert.That(calibration.HeldOut!.Where(e => MlpOperators.Contains(e.Op)).Sum(e => e.Rows), Is.EqualTo(72));
            Assert.That(calibration.HeldOut!.Single(e => e.Op == "attn_prefill").Rows, Is.EqualTo(20));
            Assert.That(calibration.HeldOut!.Single(e => e.Op == "attn_decode").Rows, Is.EqualTo(12));
            Assert.That(calibration.HeldOut!.Single(e => e.Op == "all_reduce").Rows, Is.EqualTo(9));
            // Tables the roofline made: the rest determine the factors, so the held-out rows are predicted exactly too.
            Assert.That(calibration.HeldOut!.Max(e => e.MedianRelativeError), Is.LessThan(1e-6));
            Assert.That(EfficiencyFit.Calibrate(_dir, model, gpu).HeldOut, Is.Null);
        }

        [Test]
        public void AClassWhoseFitWouldWorsenAnOperatorKeepsItsFactorsAndTheOthersAreFitted()
        {
            // mlp_act made with the GPU's own factors (so its error starts at 0), attn_rope with a far lower pointwise
            // factor: the shared factor cannot serve both, and any move from the start makes mlp_act worse.
            ModelSpec model = PerfTestSpecs.Model("llama-3-8b");
            HardwareSpec gpu = PerfTestSpecs.A100;
            RooflineEfficiency slowRope = Known;
            slowRope.PointwiseMemory = 0.1;
            WriteSyntheticTables(_dir, model, gpu, Known, op => op == "mlp_act" ? gpu.Efficiency : op == "attn_rope" ? slowRope : Known);
            Calibration calibration = EfficiencyFit.Calibrate(_dir, model, gpu);
            Assert.That(calibration.KeptOperators, Is.EquivalentTo(new[] { "attn_rope", "mlp_act" }));
            Assert.That(calibration.Fitted.PointwiseMemory, Is.EqualTo(gpu.Efficiency.PointwiseMemory));
            Assert.That(calibration.Before.Single(e => e.Op == "mlp_act").MedianRelativeError, Is.LessThan(1e-9));
            Assert.That(calibration.After.Single(e => e.Op == "mlp_act").MedianRelativeError, Is.LessThan(1e-9));
            Assert.That(calibration.Before.Single(e => e.Op == "attn_rope").MedianRelativeError, Is.GreaterThan(0.05), "the fit had something to gain on attn_rope");
            Assert.That(calibration.Fitted.GemmCompute, Is.EqualTo(Known.GemmCompute).Within(1e-4).Percent);
            Assert.That(calibration.Fitted.NormMemory, Is.EqualTo(Known.NormMemory).Within(1e-4).Percent);
            foreach (OperatorError after in calibration.After)
                Assert.That(after.MedianRelativeError, Is.LessThanOrEqualTo(calibration.Before.Single(e => e.Op == after.Op).MedianRelativeError), after.Op);
        }

        [Test]
        public void FittedOnHalfTheTokenSizesItPredictsTheOtherHalf()
        {
            // The shipped excerpt has num_tokens 1, 16, 64, 128, 136, 256, 512, 1024, 2048, 4096 at TP 1, 2, 4, 8.
            ModelSpec model = PerfTestSpecs.Model("llama-2-7b");
            HardwareSpec gpu = PerfTestSpecs.A100;
            var samples = ProfileSample.All(ProfileDirectory.Load(Path.GetDirectoryName(PerfTestSpecs.Fixture("README.md"))!, model), model)
                .Where(s => s.Op != "all_reduce").ToList();
            double[] trainSizes = { 1, 64, 136, 512, 2048 };
            var train = samples.Where(s => trainSizes.Contains(s.Size)).ToList();
            var test = samples.Where(s => !trainSizes.Contains(s.Size)).ToList();
            RooflineEfficiency fitted = EfficiencyFit.Fit(train, model, gpu, PerfTestSpecs.Efficiency);
            var trainErrors = EfficiencyFit.Errors(train, model, gpu, fitted);
            var testErrors = EfficiencyFit.Errors(test, model, gpu, fitted);
            foreach (OperatorError held in testErrors)
            {
                OperatorError seen = trainErrors.Single(e => e.Op == held.Op);
                TestContext.Progress.WriteLine($"{held.Op}: median {seen.MedianRelativeError:P1} on the fitted half, {held.MedianRelativeError:P1} held out");
                Assert.That(held.MedianRelativeError, Is.LessThan(0.15), held.Op);
                Assert.That(held.MedianRelativeError, Is.LessThan(seen.MedianRelativeError * 2 + 0.03), held.Op + ": no worse out of sample than a fit that generalises would be");
            }
        }

        /// <summary>
        /// Vidur-format tables in <paramref name="dir"/> whose every time is the roofline's with <paramref name="efficiency"/>
        /// (or, for a layer operator, with <paramref name="efficiencyOf"/> that operator where given).
        /// </summary>
        static void WriteSyntheticTables(string dir, ModelSpec model, HardwareSpec gpu, RooflineEfficiency efficiency, Func<string, RooflineEfficiency>? efficiencyOf = null)
        {
            string F(double x) => x.ToString("R", CultureInfo.InvariantCulture);
            var mlp = new StringBuilder("n_head,n_kv_head,n_embd,n_expanded_embd,vocab_size,use_gated_mlp,num_tokens,num_tensor_parallel_workers," +
                string.Join(",", MlpOperators.Select(op => "time_stats." + op + ".median")) + "\n");
            var attention = new StringBuilder("n_embd,n_q_head,n_kv_head,num_tensor_parallel_workers,batch_size,prefill_chunk_size,kv_cache_size,is_prefill,time_stats.attn_prefill.median,time_stats.attn_decode.median\n");
            var allReduce = new StringBuilder("num_workers,size,time_stats.all_reduce.median\n");
            foreach (int tp in new[] { 1, 2, 4, 8 })
            {
                var roofline = new RooflinePerfModel(model, gpu, new Parallelism { Tp = tp }, efficiency, 0);
                double Ms(SequenceWork[] batch, string op) => roofline.LayerBreakdown(batch).Single(t => t.Op == op).TimeS * 1e3;
                double LayerOpMs(SequenceWork[] batch, string op) => efficiencyOf == null ? Ms(batch, op)
                    : new RooflinePerfModel(model, gpu, new Parallelism { Tp = tp }, efficiencyOf(op), 0).LayerBreakdown(batch).Single(t => t.Op == op).TimeS * 1e3;
                for (int tokens = 1; tokens <= 4096; tokens *= 2)
                {
                    var batch = new[] { new SequenceWork(tokens, 0) };
                    mlp.Append($"{model.Heads},{model.KvHeads},{model.HiddenSize},{model.IntermediateSize},{model.VocabSize},True,{tokens},{tp},")
                        .Append(string.Join(",", MlpOperators.Select(op => F(LayerOpMs(batch, op))))).Append('\n');
                }
                foreach (int context in new[] { 0, 1024, 4096 })
                    foreach (int chunk in new[] { 64, 512, 2048 })
                        attention.Append($"{model.HiddenSize},{model.Heads},{model.KvHeads},{tp},1,{chunk},{context},True,{F(Ms(new[] { new SequenceWork(chunk, context) }, "attn_prefill"))},\n");
                foreach (int context in new[] { 100, 512, 4096 })
                    foreach (int batchSize in new[] { 1, 32, 256 })
                        attention.Append($"{model.HiddenSize},{model.Heads},{model.KvHeads},{tp},{batchSize},0,{context},False,,{F(Ms(Enumerable.Repeat(new SequenceWork(1, context), batchSize).ToArray(), "attn_decode"))}\n");
                if (tp > 1)
                    for (double bytes = 4096; bytes <= 1 << 30; bytes *= 8)
                        allReduce.Append($"{tp},{F(bytes)},{F(RooflinePerfModel.RingAllReduceS(bytes, tp, gpu, efficiency) * 1e3)}\n");
            }
            File.WriteAllText(Path.Combine(dir, "mlp.csv"), mlp.ToString());
            File.WriteAllText(Path.Combine(dir, "attention.csv"), attention.ToString());
            File.WriteAllText(Path.Combine(dir, "all_reduce.csv"), allReduce.ToString());
        }
    }
}
