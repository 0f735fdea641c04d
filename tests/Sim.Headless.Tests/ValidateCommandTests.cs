using System;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using NUnit.Framework;
using Sim.Headless.Validation;
using Sim.Tests.Shared;

namespace Sim.Headless.Tests
{
    public class ValidateCommandTests
    {
        string _dir = "";

        [SetUp]
        public void SetUp()
        {
            _dir = Path.Combine(Path.GetTempPath(), "sim-validate-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path.Combine(_dir, "scenes"));
            Directory.CreateDirectory(Path.Combine(_dir, "anchors", "mini_ts2"));
            File.WriteAllText(Path.Combine(_dir, "scenes", "trace.csv"), "arrived_at,num_prefill_tokens,num_decode_tokens\n0,100,5\n0.5,200,4\n1.0,50,3\n");
            File.WriteAllText(Path.Combine(_dir, "scenes", "vidur-mini-ts2.yaml"),
                "name: mini\nmodel: llama-2-7b\nhardware: a100-80g\nkv: { capacity_tokens: 4096 }\nscheduler: { policy: vllm-v0 }\nworkload: { trace: trace.csv, format: vidur, time_scale: 2 }\n");
        }

        [TearDown]
        public void TearDown() => Directory.Delete(_dir, recursive: true);

        void WriteAnchor(double ttftP50, long restarts)
        {
            string anchor = Path.Combine(_dir, "anchors", "mini_ts2");
            string Percentiles(double p50) => "{\"p50\": " + p50.ToString("R", CultureInfo.InvariantCulture) + ", \"p90\": 1, \"p99\": 1}";
            File.WriteAllText(Path.Combine(anchor, "summary.json"), "{\"ttft\": " + Percentiles(ttftP50) + ", \"e2e\": " + Percentiles(1) + ", \"tbt\": " + Percentiles(1)
                + ", \"scheduling_delay\": " + Percentiles(1) + ", \"restarts_total\": " + restarts + ", \"requests_restarted\": " + restarts + "}");
            using var gz = new StreamWriter(new GZipStream(File.Create(Path.Combine(anchor, "request_metrics.csv.gz")), CompressionLevel.Fastest));
            gz.Write("Request Id,request_e2e_time,prefill_e2e_time,decode_time_execution_plus_preemption_normalized\n0,1.5,0.2,0.05\n1,1.2,0.3,0.05\n2,0.9,0.1,0.04\n");
        }

        [Test]
        public void SetsEachRunBesideItsReferenceRun()
        {
            // The run's own TTFT p50 (from its summary.json) against a reference of 1.25 times it: -20 %, outside 10 %.
            // No preemptions against 3 restarts: missed (0 is not within 2x of 3).
            WriteAnchor(1, 3);
            string outDir = Path.Combine(_dir, "out");
            var (code, stdout, stderr) = CliRunner.Run("validate", "--scenes", Path.Combine(_dir, "scenes"), "--anchors", Path.Combine(_dir, "anchors"), "--out", outDir);
            Assert.That(code, Is.EqualTo(0), stderr);
            using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "mini_ts2", "summary.json")));
            double ttftP50 = summary.RootElement.GetProperty("ttft_s").GetProperty("p50").GetDouble();

            WriteAnchor(ttftP50 * 1.25, 3);
            (code, stdout, stderr) = CliRunner.Run("validate", "--scenes", Path.Combine(_dir, "scenes"), "--anchors", Path.Combine(_dir, "anchors"), "--out", outDir);
            Assert.That(code, Is.EqualTo(0), stderr);
            string[] lines = File.ReadAllLines(Path.Combine(outDir, "validation.csv"));
            Assert.That(lines[0], Is.EqualTo("run,metric,quantile,sim,vidur,error,target,within"));
            string[] ttft = lines.Single(l => l.StartsWith("mini_ts2,ttft,p50,", StringComparison.Ordinal)).Split(',');
            Assert.That(double.Parse(ttft[5], CultureInfo.InvariantCulture), Is.EqualTo(-0.2).Within(1e-12));
            Assert.That(ttft[7], Is.EqualTo("no"));
            Assert.That(lines, Does.Contain("mini_ts2,preemptions,,0,3,-1,2x,no"));
            Assert.That(lines.Count(l => l.StartsWith("mini_ts2,", StringComparison.Ordinal)), Is.EqualTo(14));
            foreach (string plot in new[] { "ttft", "e2e", "tbt" })
                Assert.That(new FileInfo(Path.Combine(outDir, "mini_ts2_" + plot + "_cdf.png")).Length, Is.GreaterThan(1000));
            Assert.That(File.ReadAllText(Path.Combine(outDir, "validation.md")), Does.Contain("| mini_ts2 | ttft p50 (s) |"));
            Assert.That(stdout, Does.Contain("targets met"));
        }

        [Test]
        public void TheShippedScenesMeetTheTargetsBesideVidursReferenceRuns()
        {
            // Needs Vidur's reference runs and A100 tables beside the repository (../shared); without them there is nothing to compare.
            string anchors = Repository.PathOf("..", "shared", "anchors", "vidur-1k");
            if (!Directory.Exists(anchors) || !Directory.Exists(Repository.PathOf("..", "shared", "profiles", "a100")))
                Assert.Ignore("../shared/anchors/vidur-1k or ../shared/profiles/a100 is not beside the repository");
            string outDir = Path.Combine(_dir, "out");
            var (code, _, stderr) = CliRunner.Run("validate", "--scenes", Repository.PathOf("scenes", "validation"), "--anchors", anchors, "--out", outDir);
            Assert.That(code, Is.EqualTo(0), stderr);
            string[] missed = File.ReadAllLines(Path.Combine(outDir, "validation.csv")).Where(l => l.EndsWith(",no", StringComparison.Ordinal)).ToArray();
            Assert.That(missed, Is.Empty, "figures outside the targets (docs/validation.md)");
        }

        [Test]
        public void MissingReferenceRunsAreOneLineExit2()
        {
            var (code, stdout, stderr) = CliRunner.Run("validate", "--scenes", Path.Combine(_dir, "scenes"), "--anchors", Path.Combine(_dir, "nowhere"), "--out", Path.Combine(_dir, "out"));
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stderr, Does.StartWith("error: " + Path.Combine(_dir, "nowhere") + ": --anchors: folder not found"));
            Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(Directory.Exists(Path.Combine(_dir, "out")), Is.False);
        }

        [TestCase(1.10, 1.0, true)]
        [TestCase(1.11, 1.0, false)]
        [TestCase(0.90, 1.0, true)]
        [TestCase(0.89, 1.0, false)]
        public void LatenciesPassWithinTenPercent(double sim, double vidur, bool within) =>
            Assert.That(new ValidationRow { Metric = "ttft", Quantile = "p50", Sim = sim, Vidur = vidur, HasTarget = true }.Within, Is.EqualTo(within));

        [TestCase(70, 35, true)]
        [TestCase(71, 35, false)]
        [TestCase(18, 35, true)]
        [TestCase(17, 35, false)]
        [TestCase(0, 0, true)]
        [TestCase(1, 0, false)]
        public void PreemptionsPassWithinTwiceTheRestarts(double sim, double vidur, bool within) =>
            Assert.That(new ValidationRow { Metric = "preemptions", Sim = sim, Vidur = vidur, HasTarget = true }.Within, Is.EqualTo(within));
    }
}
