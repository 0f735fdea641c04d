using System;
using System.Globalization;
using System.IO;
using System.Linq;
using NUnit.Framework;
using Sim.Core.PerfModel;

namespace Sim.Core.Tests.PerfModel
{
    /// <summary>The profile-table perf model against the shipped A100 excerpts, read here a second way (plain CSV splitting).</summary>
    public class ProfilePerfModelTests
    {
        static string FixtureDir => Path.GetDirectoryName(PerfTestSpecs.Fixture("README.md"))!;

        static ModelSpec Llama7b => PerfTestSpecs.Model("llama-2-7b");

        static ProfilePerfModel Load(int tp, string? dir = null) =>
            ProfilePerfModel.Load(dir ?? FixtureDir, Llama7b, PerfTestSpecs.A100, new Parallelism { Tp = tp }, PerfTestSpecs.Efficiency, 0.002);

        /// <summary>The median of <paramref name="op"/> in the row of <paramref name="file"/> with these num_tokens and TP, in seconds.</summary>
        static double TableS(string file, int tokens, int tp, string op)
        {
            string[] lines = File.ReadAllLines(PerfTestSpecs.Fixture(file));
            string[] header = lines[0].Split(',');
            int Column(string name) => Array.IndexOf(header, name);
            string[] row = lines.Skip(1).Select(l => l.Split(','))
                .Single(f => f[Column("num_tokens")] == tokens.ToString(CultureInfo.InvariantCulture) && f[Column("num_tensor_parallel_workers")] == tp.ToString(CultureInfo.InvariantCulture));
            return double.Parse(row[Column("time_stats." + op + ".median")], CultureInfo.InvariantCulture) * 1e-3;
        }

        static double Op(ProfilePerfModel model, int tokens, string op) =>
            model.LayerBreakdown(new[] { new SequenceWork(tokens, 0) }).Single(t => t.Op == op).TimeS;

        [TestCase(1, 1)]
        [TestCase(64, 1)]
        [TestCase(4096, 1)]
        [TestCase(136, 2)]
        public void TablePointsAreReproducedExactly(int tokens, int tp)
        {
            ProfilePerfModel model = Load(tp);
            foreach (string op in new[] { "input_layernorm", "attn_pre_proj", "attn_rope", "attn_post_proj", "post_attention_layernorm", "mlp_up_proj", "mlp_act", "mlp_down_proj", "add" })
                Assert.That(Op(model, tokens, op), Is.EqualTo(TableS("Llama-2-7b-hf_mlp.csv", tokens, tp, op)), op);
        }

        [Test]
        public void BetweenTablePointsTheStraightLine()
        {
            // 384 tokens lie half-way between the 256- and 512-token rows.
            double expected = (TableS("Llama-2-7b-hf_mlp.csv", 256, 1, "mlp_up_proj") + TableS("Llama-2-7b-hf_mlp.csv", 512, 1, "mlp_up_proj")) / 2;
            Assert.That(Op(Load(1), 384, "mlp_up_proj"), Is.EqualTo(expected).Within(1e-15));
        }

        [Test]
        public void OperatorsTheTablesLackComeFromTheRooflineAndAreNamed()
        {
            ProfilePerfModel model = Load(1);
            Assert.That(model.FilledOperators, Is.EqualTo(new[] { "attn_prefill", "attn_decode" }));
            var roofline = new RooflinePerfModel(Llama7b, PerfTestSpecs.A100, new Parallelism { Tp = 1 }, PerfTestSpecs.Efficiency, 0.002);
            var batch = new[] { new SequenceWork(300, 200), new SequenceWork(1, 900) };
            foreach (string op in model.FilledOperators)
                Assert.That(model.LayerBreakdown(batch).Single(t => t.Op == op).TimeS, Is.EqualTo(roofline.LayerBreakdown(batch).Single(t => t.Op == op).TimeS), op);
        }

        [Test]
        public void AllReduceIsLookedUpByMessageSize()
        {
            // TP 2, 416 tokens: each all-reduce moves 416 × 4096 × 2 bytes = 3,407,872, a row of the table (0.055 ms); two per layer.
            ProfilePerfModel model = Load(2);
            Assert.That(model.FilledOperators, Does.Not.Contain("all_reduce"));
            Assert.That(Op(model, 416, "all_reduce"), Is.EqualTo(2 * 0.055e-3).Within(1e-15));
        }

        [Test]
        public void EachAllReduceMayAddItsLaunchCost()
        {
            // As above, with 20 µs to launch each of the two all-reduces: 2 × (0.055 ms + 0.020 ms).
            ProfilePerfModel model = ProfilePerfModel.Load(FixtureDir, Llama7b, PerfTestSpecs.A100, new Parallelism { Tp = 2 }, PerfTestSpecs.Efficiency, 0.002, collectiveLaunchS: 20e-6);
            Assert.That(Op(model, 416, "all_reduce"), Is.EqualTo(2 * 0.075e-3).Within(1e-15));
        }

        [Test]
        public void AnIterationIsAllLayersPlusTheRooflinesOutsideParts()
        {
            ProfilePerfModel model = Load(1);
            var roofline = new RooflinePerfModel(Llama7b, PerfTestSpecs.A100, new Parallelism { Tp = 1 }, PerfTestSpecs.Efficiency, 0.002);
            var batch = new[] { new SequenceWork(64, 0) };
            double layerS = model.LayerBreakdown(batch).Sum(t => t.TimeS), rooflineLayerS = roofline.LayerBreakdown(batch).Sum(t => t.TimeS);
            // The roofline's iteration minus its layers is the part outside them (LM head and overhead), shared by both.
            double outsideS = roofline.IterationTimeS(batch) - 32 * rooflineLayerS;
            Assert.That(model.IterationTimeS(batch), Is.EqualTo(32 * layerS + outsideS).Within(1e-12));
            Assert.That(model.IterationTimeS(ReadOnlySpan<SequenceWork>.Empty), Is.EqualTo(0.002));
        }

        [Test]
        public void AttentionTableByChunkOrBatchSizeAndContext()
        {
            string dir = CopyFixtures("Llama-2-7b-hf_mlp.csv");
            // Prefill rows: a 128- and a 256-token chunk after 0 and 1,024 cached tokens; decode rows: 1 and 8 decodes after 1,024 and 2,048.
            File.WriteAllText(Path.Combine(dir, "attention.csv"),
                "n_embd,n_q_head,n_kv_head,block_size,num_tensor_parallel_workers,max_model_len,batch_size,prefill_chunk_size,kv_cache_size,is_prefill,time_stats.attn_prefill.median,time_stats.attn_decode.median\n" +
                "4096,32,32,16,1,4096,1,128,0,True,0.10,\n" +
                "4096,32,32,16,1,4096,1,256,0,True,0.18,\n" +
                "4096,32,32,16,1,4096,1,128,1024,True,0.30,\n" +
                "4096,32,32,16,1,4096,1,256,1024,True,0.50,\n" +
                "4096,32,32,16,1,4096,1,0,1024,False,,0.020\n" +
                "4096,32,32,16,1,4096,8,0,1024,False,,0.060\n" +
                "4096,32,32,16,1,4096,1,0,2048,False,,0.030\n" +
                "4096,32,32,16,1,4096,8,0,2048,False,,0.100\n");
            ProfilePerfModel model = Load(1, dir);
            Assert.That(model.FilledOperators, Is.Empty);
            double Attn(string op, params SequenceWork[] batch) => model.LayerBreakdown(batch).Single(t => t.Op == op).TimeS;
            Assert.That(Attn("attn_prefill", new SequenceWork(256, 1024)), Is.EqualTo(0.50e-3).Within(1e-15));
            // 192 new tokens after 512 cached: at context 0 half-way 0.14, at 1,024 half-way 0.40; half-way between: 0.27.
            Assert.That(Attn("attn_prefill", new SequenceWork(192, 512)), Is.EqualTo(0.27e-3).Within(1e-15));
            // Two prefills are two calls: 0.10 + 0.30.
            Assert.That(Attn("attn_prefill", new SequenceWork(128, 0), new SequenceWork(128, 1024)), Is.EqualTo(0.40e-3).Within(1e-15));
            // 8 decodes after 1,536 cached tokens on average (1,024 and 2,048 mixed half and half): half-way from 0.060 to 0.100.
            var decodes = Enumerable.Range(0, 8).Select(i => new SequenceWork(1, i % 2 == 0 ? 1024 : 2048)).ToArray();
            Assert.That(Attn("attn_decode", decodes), Is.EqualTo(0.080e-3).Within(1e-15));
        }

        [Test]
        public void ATpDegreeTheTableLacksIsRefusedNamingFileAndColumn()
        {
            var error = Assert.Throws<SimInputException>(() => Load(16))!;
            Assert.That(error.File, Does.EndWith("Llama-2-7b-hf_mlp.csv"));
            Assert.That(error.Field, Is.EqualTo("num_tensor_parallel_workers"));
            Assert.That(error.Problem, Does.Contain("TP 16").And.Contain("1, 2, 4, 8"));
        }

        [Test]
        public void AnAllReduceTableWithoutTheTpDegreeIsRefused()
        {
            var error = Assert.Throws<SimInputException>(() => Load(4))!;
            Assert.That(error.File, Does.EndWith("all_reduce_pairwise_nvlink.csv"));
            Assert.That(error.Field, Is.EqualTo("num_workers"));
        }

        [Test]
        public void AnotherModelsTableIsRefusedAtItsRowAndShapeColumn()
        {
            string dir = CopyFixtures();
            File.Copy(PerfTestSpecs.Fixture("Meta-Llama-3-8B_mlp.csv"), Path.Combine(dir, "mlp.csv"));
            var error = Assert.Throws<SimInputException>(() => Load(1, dir))!;
            Assert.That((Path.GetFileName(error.File), error.Line, error.Field), Is.EqualTo(("mlp.csv", 2, "n_kv_head")));
            Assert.That(error.Problem, Does.Contain("8 in the table, but llama-2-7b has 32"));
        }

        [TestCase("-0.5", "'-0.5' is not a number above 0")]
        [TestCase("", "'' is not a number above 0")]
        public void BadTimingsAreRefusedAtTheirRowAndColumn(string value, string problem)
        {
            string dir = CopyFixtures();
            string[] lines = File.ReadAllLines(PerfTestSpecs.Fixture("Llama-2-7b-hf_mlp.csv"));
            int column = Array.IndexOf(lines[0].Split(','), "time_stats.mlp_act.median");
            string[] third = lines[3].Split(',');
            third[column] = value;
            lines[3] = string.Join(",", third);
            File.WriteAllLines(Path.Combine(dir, "mlp.csv"), lines);
            var error = Assert.Throws<SimInputException>(() => Load(1, dir))!;
            Assert.That((error.Line, error.Field, error.Problem), Is.EqualTo((4, "time_stats.mlp_act.median", problem)));
        }

        [Test]
        public void AFolderWithoutAnMlpTableIsRefused()
        {
            var error = Assert.Throws<SimInputException>(() => Load(1, CopyFixtures()))!;
            Assert.That(error.Problem, Does.Contain("mlp.csv"));
        }

        [Test]
        public void ASceneWithPerfModelProfileTimesItsReplicasFromTheTables()
        {
            string dir = CopyFixtures();
            string scenePath = Path.Combine(dir, "scene.yaml");
            File.WriteAllText(scenePath, "name: p\nmodel: llama-2-7b\nhardware: a100-80g\nparallelism: { tp: 2 }\ncluster: { replicas: 2 }\n" +
                "perf: { model: profile, profiles: " + FixtureDir + " }\n" +
                "workload:\n  synthetic: { requests: 40, arrival: poisson, rate_per_s: 20, prompt_tokens: { dist: fixed, value: 300 }, output_tokens: { dist: fixed, value: 20 } }\n");
            Sim.Core.Scenes.Scene scene = Sim.Core.Scenes.SceneLoader.Load(scenePath, Array.Empty<string>());
            var workload = Sim.Core.Scenes.SceneWorkload.Open(scene);
            using var simulation = new Sim.Core.Pipeline.Simulation(scene, workload.Requests, workload.Count, workload.SourceName);
            Assert.That(simulation.Cluster.Replicas.Select(r => r.PerfModel), Is.All.InstanceOf<ProfilePerfModel>());
            var batch = new[] { new SequenceWork(300, 0) };
            var expected = ProfilePerfModel.Load(FixtureDir, Llama7b, PerfTestSpecs.A100, new Parallelism { Tp = 2 }, RooflineEfficiency.Default, 0.002);
            Assert.That(simulation.Cluster.Replicas[0].PerfModel.IterationTimeS(batch), Is.EqualTo(expected.IterationTimeS(batch)),
                "the tables at the scene's TP degree, the hardware's (default) factors for the rest, the default 2 ms overhead");
            simulation.Run();
            Assert.That(simulation.Log.Completed, Is.EqualTo(40));
        }

        string _temp = "";

        [TearDown]
        public void RemoveTemp()
        {
            if (_temp.Length > 0) Directory.Delete(_temp, true);
            _temp = "";
        }

        /// <summary>A fresh folder holding copies of the named fixtures.</summary>
        string CopyFixtures(params string[] names)
        {
            _temp = Path.Combine(Path.GetTempPath(), "sim-profiles-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_temp);
            foreach (string name in names) File.Copy(PerfTestSpecs.Fixture(name), Path.Combine(_temp, name));
            return _temp;
        }
    }
}
