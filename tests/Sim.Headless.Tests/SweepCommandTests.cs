using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using NUnit.Framework;

namespace Sim.Headless.Tests
{
    public class SweepCommandTests
    {
        string _dir = "";

        [SetUp]
        public void MakeFolder()
        {
            _dir = Path.Combine(TestContext.CurrentContext.TestDirectory, "sweep-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
            var trace = new StringBuilder("arrived_at,num_prefill_tokens,num_decode_tokens\n");
            for (int i = 0; i < 80; i++) trace.Append((i * 0.2).ToString("R", CultureInfo.InvariantCulture)).Append(',').Append(300 + 97 * i % 900).Append(',').Append(10 + 31 * i % 150).Append('\n');
            File.WriteAllText(Path.Combine(_dir, "trace.csv"), trace.ToString());
            File.WriteAllText(Path.Combine(_dir, "scene.yaml"), "name: s\nmodel: llama-2-7b\nhardware: a100-80g\nkv: { capacity_tokens: 8000 }\nworkload:\n  trace: trace.csv\n");
        }

        [TearDown]
        public void RemoveFolder() => Directory.Delete(_dir, true);

        string Sweep(string grid)
        {
            string path = Path.Combine(_dir, "sweep.yaml");
            File.WriteAllText(path, "scene: scene.yaml\nset: { workload.requests: 60 }\ngrid:\n" + grid);
            return path;
        }

        const string TwoByTwo = "  scheduler.policy: [vllm, sarathi]\n  cluster.replicas: [1, 2]\n";

        string Out(string name) => Path.Combine(_dir, name);

        [Test]
        public void RowsComeInGridOrderWithTheFiguresOfTheSameRuns()
        {
            var (code, _, stderr) = CliRunner.Run("sweep", Sweep(TwoByTwo), "--out", Out("a"));
            Assert.That(code, Is.EqualTo(0), stderr);
            string[] rows = File.ReadAllLines(Path.Combine(Out("a"), "sweep.csv"));
            string[] header = rows[0].Split(',');
            Assert.That(header.Take(2), Is.EqualTo(new[] { "scheduler.policy", "cluster.replicas" }));
            Assert.That(rows.Skip(1).Select(r => string.Join(",", r.Split(',').Take(2))), Is.EqualTo(new[] { "vllm,1", "vllm,2", "sarathi,1", "sarathi,2" }));
            // Second implementation: each point through sim run with the same overrides.
            string[][] points = { new[] { "vllm", "1" }, new[] { "vllm", "2" }, new[] { "sarathi", "1" }, new[] { "sarathi", "2" } };
            for (int i = 0; i < points.Length; i++)
            {
                var run = CliRunner.Run("run", Path.Combine(_dir, "scene.yaml"), "--set", "workload.requests=60", "--set", "scheduler.policy=" + points[i][0],
                    "--set", "cluster.replicas=" + points[i][1], "--json", "--out", Out("run" + i));
                Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
                using JsonDocument summary = JsonDocument.Parse(run.Out);
                string[] cells = rows[i + 1].Split(',');
                double Cell(string column) => double.Parse(cells[Array.IndexOf(header, column)], CultureInfo.InvariantCulture);
                Assert.That(Cell("ttft_p99_s"), Is.EqualTo(summary.RootElement.GetProperty("ttft_s").GetProperty("p99").GetDouble()));
                Assert.That(Cell("tbt_p99_s"), Is.EqualTo(summary.RootElement.GetProperty("tbt_s").GetProperty("p99").GetDouble()));
                Assert.That(Cell("throughput_requests_per_s"), Is.EqualTo(summary.RootElement.GetProperty("throughput").GetProperty("requests_per_s").GetDouble()));
                Assert.That(Cell("iterations"), Is.EqualTo(summary.RootElement.GetProperty("iterations").GetDouble()));
            }
        }

        [Test]
        public void ParallelismDoesNotChangeTheCsvAndThePlotsArePngs()
        {
            string sweep = Sweep(TwoByTwo);
            Assert.That(CliRunner.Run("sweep", sweep, "--out", Out("one"), "--parallel", "1").ExitCode, Is.EqualTo(0));
            Assert.That(CliRunner.Run("sweep", sweep, "--out", Out("two"), "--parallel", "2").ExitCode, Is.EqualTo(0));
            Assert.That(File.ReadAllBytes(Path.Combine(Out("two"), "sweep.csv")), Is.EqualTo(File.ReadAllBytes(Path.Combine(Out("one"), "sweep.csv"))));
            foreach (string plot in new[] { "ttft_vs_throughput.png", "tbt_vs_throughput.png", "ttft_p99_by_point.png", "ttft_cdf.png", "tbt_cdf.png", "kv_utilization.png" })
                Assert.That(File.ReadAllBytes(Path.Combine(Out("one"), plot)).Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), plot);
        }

        [TestCase("  scheduler.policy: [vllm, nosuch]\n", 4, "grid.scheduler.policy", "unknown value 'nosuch'")]
        [TestCase("  scheduler.polcy: [vllm]\n", 4, "grid.scheduler.polcy", "unknown key")]
        [TestCase("  cluster.replicas: []\n", 4, "grid.cluster.replicas", "expected a non-empty list")]
        [TestCase("  {}\n", 4, "grid", "is empty")]
        public void MistakesInTheGridAreOneLineWithItsLineAndNoOutputs(string grid, int line, string field, string problem) =>
            AssertRefused(Sweep(grid), line, field, problem);

        [Test]
        public void AFixedOverrideOfAKeyTheSceneLacksIsLocatedUnderSet() =>
            AssertRefused(Write("badset.yaml", "scene: scene.yaml\ngrid:\n  cluster.replicas: [1]\nset:\n  workload.requests: 60\n  cluster.nosuch: 2\n"),
                6, "set.cluster.nosuch", "unknown key");

        [Test]
        public void ASweepWithoutASceneIsRefused() =>
            AssertRefused(Write("noscene.yaml", "grid:\n  cluster.replicas: [1]\n"), 1, "scene", "missing");

        string Write(string name, string text)
        {
            string path = Path.Combine(_dir, name);
            File.WriteAllText(path, text);
            return path;
        }

        /// <summary>Exit 2, one line <c>error: SWEEP:LINE: FIELD: ...PROBLEM...</c>, and no output folder.</summary>
        void AssertRefused(string sweep, int line, string field, string problem)
        {
            var (code, _, error) = CliRunner.Run("sweep", sweep, "--out", Out("bad"));
            Assert.That(code, Is.EqualTo(2), error);
            Assert.That(error.Trim().Split('\n').Length, Is.EqualTo(1), error);
            Assert.That(error, Does.StartWith("error: " + sweep + ":" + line + ": " + field + ": ").And.Contain(problem));
            Assert.That(Directory.Exists(Out("bad")), Is.False);
        }
    }
}
