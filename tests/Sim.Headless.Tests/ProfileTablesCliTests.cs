using System;
using System.Globalization;
using System.IO;
using System.Linq;
using NUnit.Framework;
using Sim.Tests.Shared;

namespace Sim.Headless.Tests
{
    /// <summary><c>sim run</c> and <c>sim perf</c> on measured tables, and <c>sim calibrate</c>, with the A100 excerpts in scenes/profiles.</summary>
    public class ProfileTablesCliTests
    {
        static string Profiles => Repository.PathOf("scenes", "profiles", "a100-excerpt");

        string _dir = "";

        [SetUp]
        public void MakeFolder()
        {
            _dir = Path.Combine(TestContext.CurrentContext.TestDirectory, "calibrate-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
        }

        [TearDown]
        public void RemoveFolder() => Directory.Delete(_dir, true);

        static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

        [Test]
        public void PerfFromProfilesPrintsTheRooflinesRowsWithTableTimes()
        {
            var roofline = CliRunner.Run("perf", "--model", "llama-2-7b", "--hardware", "a100-80g", "--tokens", "64,300", "--csv");
            var (code, stdout, stderr) = CliRunner.Run("perf", "--model", "llama-2-7b", "--hardware", "a100-80g", "--tokens", "64,300", "--csv",
                "--perf-model", "profile", "--profiles", Profiles);
            Assert.That(code, Is.EqualTo(0), stderr);
            string[] rows = Lines(stdout), rooflineRows = Lines(roofline.Out);
            Assert.That(rows.Select(Key), Is.EqualTo(rooflineRows.Select(Key)), "the same (num_tokens, op) rows in the same order");
            // The Llama-2-7B table's 64-token, TP 1 row, read from the file (ms to seconds and back: equal to rounding).
            double printed = double.Parse(rows.Single(r => r.StartsWith("64,mlp_up_proj,")).Split(',')[2], CultureInfo.InvariantCulture);
            Assert.That(printed, Is.EqualTo(TableMs(64, "mlp_up_proj")).Within(1e-12).Percent);
            Assert.That(stderr.Trim(), Is.EqualTo("from the roofline (not in the tables): attn_prefill, attn_decode"));
            // Filled operators print the roofline's own numbers.
            Assert.That(rows.Where(r => r.Contains("attn_prefill")), Is.EqualTo(rooflineRows.Where(r => r.Contains("attn_prefill"))));
        }

        static string Key(string row) => string.Join(",", row.Split(',').Take(2));

        static double TableMs(int tokens, string op)
        {
            string[] lines = File.ReadAllLines(Path.Combine(Profiles, "Llama-2-7b-hf_mlp.csv"));
            string[] header = lines[0].Split(',');
            string[] row = lines.Skip(1).Select(l => l.Split(',')).First(f => f[Array.IndexOf(header, "num_tokens")] == tokens.ToString(CultureInfo.InvariantCulture)
                && f[Array.IndexOf(header, "num_tensor_parallel_workers")] == "1");
            return double.Parse(row[Array.IndexOf(header, "time_stats." + op + ".median")], CultureInfo.InvariantCulture);
        }

        [Test]
        public void ARunOnTheTablesSaysWhichOperatorsTheRooflineFills()
        {
            File.WriteAllText(Path.Combine(_dir, "trace.csv"), "TIMESTAMP,ContextTokens,GeneratedTokens\n" + string.Concat(Enumerable.Range(0, 50).Select(i =>
                new DateTime(2023, 11, 16, 18, 0, 0).AddMilliseconds(200 * i).ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + ",400,30\n")));
            string scene = Path.Combine(_dir, "scene.yaml");
            File.WriteAllText(scene, "name: t\nmodel: llama-2-7b\nhardware: a100-80g\nperf: { model: profile, profiles: " + Profiles + " }\nworkload:\n  trace: trace.csv\n");
            var (code, stdout, stderr) = CliRunner.Run("run", scene, "--out", Path.Combine(_dir, "out"), "--json", "--backend", "cpu");
            Assert.That(code, Is.EqualTo(0), stderr);
            Assert.That(stderr.Trim(), Is.EqualTo("perf model: from the roofline (not in the tables): attn_prefill, attn_decode"));
            Assert.That(stdout, Does.Contain("\"completed\": 50"));
        }

        [TestCase("--perf-model", "profile", "--profiles")]
        [TestCase("--profiles", "x", "--profiles")]
        [TestCase("--perf-model", "vidur", "--perf-model")]
        public void PerfModelFlagsAreCheckedTogether(string flag, string value, string named)
        {
            var (code, _, stderr) = CliRunner.Run("perf", "--model", "llama-2-7b", "--hardware", "a100-80g", "--csv", flag, value);
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stderr, Does.StartWith("error: " + named));
        }

        [Test]
        public void ATpDegreeMissingFromTheTablesIsOneLineNamingFileAndColumn()
        {
            var (code, stdout, stderr) = CliRunner.Run("perf", "--model", "llama-2-7b", "--hardware", "a100-80g", "--tp", "16", "--csv", "--perf-model", "profile", "--profiles", Profiles);
            Assert.That(code, Is.EqualTo(2));
            Assert.That(Lines(stderr), Has.Length.EqualTo(1));
            Assert.That(stderr, Does.Contain("Llama-2-7b-hf_mlp.csv: num_tensor_parallel_workers: no rows for TP 16"));
            Assert.That(stdout, Is.Empty);
        }

        [Test]
        public void CalibrateWritesFactorsTheHardwareFileCanIncludeAndPrintsErrorsBeforeAndAfter()
        {
            string outPath = Path.Combine(_dir, "a100.efficiency.yaml");
            var (code, stdout, stderr) = CliRunner.Run("calibrate", "--profiles", Profiles, "--model", "llama-3-8b", "--hardware", "a100-80g", "--out", outPath);
            Assert.That(code, Is.EqualTo(0), stderr);
            foreach (string op in new[] { "attn_pre_proj", "mlp_down_proj", "add", "all_reduce" })
                Assert.That(stdout, Does.Contain(op));
            Assert.That(stdout, Does.Contain("before").And.Contain("after").And.Contain("median").And.Contain("p90"));
            string[] yaml = File.ReadAllLines(outPath);
            Assert.That(yaml.Where(l => !l.StartsWith("#")).Select(l => l.Split(':')[0]),
                Is.EqualTo(new[] { "gemm_compute", "gemm_memory", "norm_memory", "pointwise_memory", "add_memory", "attention_compute", "attention_memory",
                    "attention_prefill_floor_us", "attention_prefill_per_sequence_us", "attention_decode_floor_us", "attention_decode_per_sequence_us", "collective_bandwidth",
                    "attention_prefill_kv_tile", "attention_decode_kv_tile" }));
            double gemmCompute = double.Parse(yaml.Single(l => l.StartsWith("gemm_compute:")).Split(':')[1], CultureInfo.InvariantCulture);
            Assert.That(gemmCompute, Is.InRange(0.5, 0.95), "an A100's large GEMMs reach 50–95% of the tensor peak");
            // Without an attention table the attention factors are left where they were.
            Assert.That(yaml, Does.Contain("attention_compute: 0.6"));
        }

        [Test]
        public void CalibrateOnABrokenTableWritesNothing()
        {
            File.WriteAllText(Path.Combine(_dir, "mlp.csv"), "num_tokens,num_tensor_parallel_workers\n1,1\n");
            string outPath = Path.Combine(_dir, "out.yaml");
            var (code, _, stderr) = CliRunner.Run("calibrate", "--profiles", _dir, "--model", "llama-2-7b", "--hardware", "a100-80g", "--out", outPath);
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stderr.Trim(), Does.StartWith("error: ").And.Contain("mlp.csv:1: n_head: missing column"));
            Assert.That(File.Exists(outPath), Is.False);
        }
    }
}
