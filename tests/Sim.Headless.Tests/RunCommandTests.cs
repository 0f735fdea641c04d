using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Sim.Tests.Shared;

namespace Sim.Headless.Tests
{
    public class RunCommandTests
    {
        string _dir = "";

        [SetUp]
        public void MakeFolder()
        {
            // Under the test folder so the repository's scenes/ catalog is found by walking up.
            _dir = Path.Combine(TestContext.CurrentContext.TestDirectory, "run-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
        }

        [TearDown]
        public void RemoveFolder() => Directory.Delete(_dir, true);

        string WriteTrace(int requests, Func<int, string>? line = null)
        {
            var text = new StringBuilder("TIMESTAMP,ContextTokens,GeneratedTokens\n");
            var start = new DateTime(2023, 11, 16, 18, 0, 0);
            for (int i = 0; i < requests; i++)
                text.Append(line != null ? line(i) : start.AddMilliseconds(137 * i).ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "," + (100 + 37 * i % 900) + "," + (5 + 13 * i % 200)).Append('\n');
            string path = Path.Combine(_dir, "trace.csv");
            File.WriteAllText(path, text.ToString());
            return path;
        }

        string WriteScene(string extra = "")
        {
            string path = Path.Combine(_dir, "scene.yaml");
            File.WriteAllText(path, "name: t\nmodel: llama-2-7b\nhardware: a100-80g\ncluster: { replicas: 2 }\nkv: { capacity_tokens: 6000 }\nworkload:\n  trace: trace.csv\n" + extra);
            return path;
        }

        string Out => Path.Combine(_dir, "out");

        [Test]
        public void RunWritesTheThreeOutputsWithTheContractFields()
        {
            WriteTrace(300);
            var (code, stdout, stderr) = CliRunner.Run("run", WriteScene(), "--out", Out, "--json", "--check");
            Assert.That(code, Is.EqualTo(0), stderr);
            using JsonDocument summary = JsonDocument.Parse(stdout);
            JsonElement root = summary.RootElement;
            Assert.That(root.GetProperty("requests").GetProperty("total").GetInt64(), Is.EqualTo(300));
            Assert.That(root.GetProperty("requests").GetProperty("completed").GetInt64(), Is.EqualTo(300));
            foreach (string metric in new[] { "ttft_s", "tbt_s", "e2e_s", "queue_s" })
                foreach (string key in new[] { "mean", "p50", "p90", "p99", "max" })
                    Assert.That(root.GetProperty(metric).TryGetProperty(key, out _), Is.True, metric + "." + key);
            Assert.That(root.GetProperty("kv").GetProperty("capacity_tokens").GetInt64(), Is.EqualTo(2 * 6000 / 16 * 16));
            Assert.That(root.GetProperty("throughput").GetProperty("output_tokens_per_s").GetDouble(), Is.GreaterThan(0));
            string[] requests = File.ReadAllLines(Path.Combine(Out, "requests.csv"));
            Assert.That(requests.Length, Is.EqualTo(301));
            string[] iterations = File.ReadAllLines(Path.Combine(Out, "iterations.csv"));
            Assert.That(iterations.Length - 1, Is.EqualTo(root.GetProperty("iterations").GetInt64()));
            // Every requested output token was produced by some iteration: prefills emit one, decodes one each.
            long outputTokens = requests.Skip(1).Sum(r => long.Parse(r.Split(',')[5], CultureInfo.InvariantCulture));
            Assert.That(outputTokens, Is.EqualTo(Enumerable.Range(0, 300).Sum(i => 5 + 13 * i % 200)));
            Assert.That(Directory.GetFiles(Out).Select(Path.GetFileName), Is.EquivalentTo(new[] { "summary.json", "requests.csv", "iterations.csv" }));
        }

        [Test]
        public void TimingsNameEveryPhaseAddUpToTheirTotalAndLeaveTheOutputsAsTheyWere()
        {
            WriteTrace(200);
            string scene = WriteScene();
            var plain = CliRunner.Run("run", scene, "--out", Out + "p", "--backend", "cpu");
            var timed = CliRunner.Run("run", scene, "--out", Out + "t", "--backend", "cpu", "--timings");
            Assert.That(plain.ExitCode, Is.EqualTo(0), plain.Error);
            Assert.That(timed.ExitCode, Is.EqualTo(0), timed.Error);
            Assert.That(plain.Error, Does.Not.Contain("timings"));
            foreach (string file in new[] { "requests.csv", "iterations.csv" })
                Assert.That(File.ReadAllBytes(Path.Combine(Out + "t", file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(Out + "p", file))), file);

            string[] lines = timed.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            int header = Array.IndexOf(lines, "timings (s):");
            Assert.That(header, Is.GreaterThanOrEqualTo(0), timed.Error);
            int totalRow = Array.FindIndex(lines, header, line => line.TrimStart().StartsWith("total"));
            var rows = lines.Skip(header + 1).Take(totalRow - header).Select(line => (Name: line.Substring(0, 31).Trim(), Seconds: double.Parse(line.Substring(31, 8), CultureInfo.InvariantCulture))).ToList();
            string[] phases = { "runtime start", "command line", "scene load", "perf model + trace read", "trace read (its rest)", "backend", "simulation build", "loop", "of which iteration rows",
                "summary statistics", "requests.csv", "iteration rows flush", "summary.json", "commit (rename)", "print", "total" };
            Assert.That(rows.Select(r => r.Name), Is.EqualTo(phases));
            Assert.That(rows.All(r => r.Seconds >= 0), Is.True, timed.Error);
            // The iteration rows are part of the loop, not a phase of their own; each row is rounded to 0.1 ms.
            double sum = rows.Where(r => r.Name != "total" && r.Name != "of which iteration rows").Sum(r => r.Seconds);
            Assert.That(rows[^1].Seconds, Is.EqualTo(sum).Within(0.0001 * rows.Count));
            Assert.That(rows.Single(r => r.Name == "of which iteration rows").Seconds, Is.LessThanOrEqualTo(rows.Single(r => r.Name == "loop").Seconds));
            // Then the collector's line: a collection of a generation collects the younger ones too.
            Match gc = Regex.Match(lines[totalRow + 1], @"^  garbage collections (\d+)/(\d+)/(\d+) \(generation 0/1/2\), paused (\d+\.\d{4}) s$");
            Assert.That(gc.Success, Is.True, timed.Error);
            long[] collections = { long.Parse(gc.Groups[1].Value), long.Parse(gc.Groups[2].Value), long.Parse(gc.Groups[3].Value) };
            Assert.That(collections[0], Is.GreaterThanOrEqualTo(collections[1]));
            Assert.That(collections[1], Is.GreaterThanOrEqualTo(collections[2]));
            Assert.That(lines.Length, Is.EqualTo(totalRow + 2), timed.Error);
        }

        [Test]
        public void BackendAutoIsQuietWhereNothingLargeRunsOnADeviceAndSpeaksForTokenMode()
        {
            WriteTrace(20);
            string scene = WriteScene();
            var quiet = CliRunner.Run("run", scene, "--out", Out + "q");
            Assert.That(quiet.ExitCode, Is.EqualTo(0), quiet.Error);
            Assert.That(quiet.Error, Does.Not.Contain("backend auto"));
            var tokens = CliRunner.Run("run", scene, "--out", Out + "t", "--set", "kv.token_level=true");
            Assert.That(tokens.ExitCode, Is.EqualTo(0), tokens.Error);
            Assert.That(tokens.Error, Does.Contain("backend auto: "));
        }

        [Test]
        public void SummaryRecordsTheEffectiveSettingsAndCompareShowsThem()
        {
            WriteTrace(60);
            string scene = WriteScene();
            Assert.That(CliRunner.Run("run", scene, "--out", Out + "a", "--backend", "cpu").ExitCode, Is.EqualTo(0));
            var (code, _, stderr) = CliRunner.Run("run", scene, "--out", Out + "b", "--set", "scheduler.policy=sarathi", "--requests", "50", "--time-scale", "0.5");
            Assert.That(code, Is.EqualTo(0), stderr);
            using (JsonDocument b = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out + "b", "summary.json"))))
            {
                JsonElement settings = b.RootElement.GetProperty("settings");
                Assert.That(settings.GetProperty("model").GetString(), Is.EqualTo("llama-2-7b"));
                Assert.That(settings.GetProperty("hardware").GetString(), Is.EqualTo("a100-80g"));
                Assert.That(settings.GetProperty("scheduler").GetString(), Is.EqualTo("sarathi"));
                Assert.That(settings.GetProperty("router").GetString(), Is.EqualTo("round-robin"));
                Assert.That(settings.GetProperty("perf_model").GetString(), Is.EqualTo("roofline"));
                Assert.That(settings.GetProperty("overrides").EnumerateArray().Select(o => o.GetString()),
                    Is.EqualTo(new[] { "scheduler.policy=sarathi", "--requests=50", "--time-scale=0.5" }));
            }
            var compare = CliRunner.Run("compare", Path.Combine(Out + "a", "summary.json"), Path.Combine(Out + "b", "summary.json"));
            Assert.That(compare.ExitCode, Is.EqualTo(0), compare.Error);
            Assert.That(compare.Out, Does.Contain("settings.scheduler: vllm | sarathi"));
            Assert.That(compare.Out, Does.Contain("settings.overrides: (none) | scheduler.policy=sarathi --requests=50 --time-scale=0.5"));
        }

        [Test]
        public void SameSceneAndSeedGiveByteIdenticalOutputsApartFromWallTime()
        {
            WriteTrace(300);
            string scene = WriteScene();
            Assert.That(CliRunner.Run("run", scene, "--out", Out + "1").ExitCode, Is.EqualTo(0));
            Assert.That(CliRunner.Run("run", scene, "--out", Out + "2").ExitCode, Is.EqualTo(0));
            foreach (string file in new[] { "requests.csv", "iterations.csv" })
                Assert.That(File.ReadAllBytes(Path.Combine(Out + "2", file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(Out + "1", file))), file);
            static string[] WithoutWall(string path) => File.ReadAllLines(path).Where(l => !l.Contains("\"wall_s\"")).ToArray();
            Assert.That(WithoutWall(Path.Combine(Out + "2", "summary.json")), Is.EqualTo(WithoutWall(Path.Combine(Out + "1", "summary.json"))));
        }

        [TestCase("2023-11-16 18:00:00.0000000,abc,10", "ContextTokens")]
        [TestCase("2023-11-16 18:00:00.0000000,-5,10", "ContextTokens")]
        [TestCase("2023-11-16 17:00:00.0000000,50,10", "TIMESTAMP")]
        public void BadTraceLineGivesOneLineExit2AndNoOutputs(string badLine, string field)
        {
            WriteTrace(50, i => i == 30 ? badLine : new DateTime(2023, 11, 16, 18, 0, 0).AddSeconds(i).ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + ",100,10");
            var (code, _, stderr) = CliRunner.Run("run", WriteScene(), "--out", Out);
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(stderr, Does.StartWith("error: " + Path.Combine(_dir, "trace.csv") + ":32:").And.Contain(field));
            Assert.That(Directory.Exists(Out) ? Directory.GetFiles(Out) : Array.Empty<string>(), Is.Empty);
        }

        [Test]
        public void OversizeErrorModeStopsWithoutOutputs()
        {
            WriteTrace(40, i => new DateTime(2023, 11, 16, 18, 0, 0).AddSeconds(i).ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + (i == 25 ? ",9000,10" : ",100,10"));
            var (code, _, stderr) = CliRunner.Run("run", WriteScene("  oversize: error\n"), "--out", Out);
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stderr, Does.Contain("trace.csv:27:"));
            Assert.That(Directory.Exists(Out) ? Directory.GetFiles(Out) : Array.Empty<string>(), Is.Empty);
        }

        [TestCase("--set", "scheduler.policy=fifo", "scheduler.policy")]
        [TestCase("--set", "cluster.replicas=-1", "cluster.replicas")]
        [TestCase("--time-scale", "0", "--time-scale")]
        [TestCase("--trace-format", "xml", "--trace-format")]
        [TestCase("--backend", "gpu", "gpu")]
        public void BadFlagsGiveOneLineExit2(string flag, string value, string mentioned)
        {
            WriteTrace(10);
            var (code, _, stderr) = CliRunner.Run("run", WriteScene(), "--out", Out, flag, value);
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stderr, Does.StartWith("error: ").And.Contain(mentioned));
            Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1));
        }

        [Test]
        public void TraceFlagReplacesASyntheticWorkloadAndSeedChangesGeneratedArrivals()
        {
            string trace = WriteTrace(25);
            string scene = Path.Combine(_dir, "synthetic.yaml");
            File.WriteAllText(scene, "name: s\nmodel: llama-2-7b\nhardware: a100-80g\nworkload:\n  synthetic:\n    requests: 60\n    rate_per_s: 5\n"
                + "    prompt_tokens: { dist: uniform, min: 10, max: 500 }\n    output_tokens: { dist: fixed, value: 8 }\n");
            var (code, stdout, stderr) = CliRunner.Run("run", scene, "--trace", trace, "--out", Out, "--json");
            Assert.That(code, Is.EqualTo(0), stderr);
            using (JsonDocument fromTrace = JsonDocument.Parse(stdout))
                Assert.That(fromTrace.RootElement.GetProperty("requests").GetProperty("total").GetInt64(), Is.EqualTo(25));

            Assert.That(CliRunner.Run("run", scene, "--out", Out + "a").ExitCode, Is.EqualTo(0));
            Assert.That(CliRunner.Run("run", scene, "--out", Out + "b", "--seed", "7").ExitCode, Is.EqualTo(0));
            string[] seeded = File.ReadAllLines(Path.Combine(Out + "b", "requests.csv"));
            Assert.That(seeded, Has.Length.EqualTo(61));
            Assert.That(seeded, Is.Not.EqualTo(File.ReadAllLines(Path.Combine(Out + "a", "requests.csv"))));
        }

        [Test]
        public void MissingSceneAndUnknownFlag()
        {
            Assert.That(CliRunner.Run("run", Path.Combine(_dir, "none.yaml")).ExitCode, Is.EqualTo(2));
            Assert.That(CliRunner.Run("run", WriteScene(), "--no-such-flag").ExitCode, Is.EqualTo(2));
        }

        [Test]
        public void ShippedExamplesLoadAndRunOnAFewRequests()
        {
            string examples = Repository.PathOf("scenes", "examples");
            foreach (string scene in Directory.GetFiles(examples, "*.yaml").OrderBy(p => p, StringComparer.Ordinal))
            {
                var (code, stdout, stderr) = CliRunner.Run("run", scene, "--requests", "40", "--out", Path.Combine(Out, Path.GetFileNameWithoutExtension(scene)), "--json", "--check");
                Assert.That(code, Is.EqualTo(0), scene + ": " + stderr);
                using JsonDocument summary = JsonDocument.Parse(stdout);
                Assert.That(summary.RootElement.GetProperty("requests").GetProperty("total").GetInt64(), Is.EqualTo(40), scene);
            }
        }

        [Test]
        public void PrefixCachingReportsHitsPerRequestAndPerTier()
        {
            // mooncake_5 (512-token blocks): request 1 reuses [1],[1,2] of request 0 (1,024 tokens); request 3 the same
            // two ([1,2,3] was never a whole block of a finished prompt); request 2 finds nothing and request 4's one
            // block is all its prompt, whose last token must be computed. 2,048 of 5,436 prompt tokens.
            File.Copy(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "mooncake_5.jsonl"), Path.Combine(_dir, "trace.jsonl"));
            string scene = Path.Combine(_dir, "scene.yaml");
            File.WriteAllText(scene, "name: t\nmodel: llama-2-7b\nhardware: a100-80g\nkv: { prefix_caching: true }\nworkload:\n  trace: trace.jsonl\n");
            var (code, stdout, stderr) = CliRunner.Run("run", scene, "--out", Out, "--json", "--check");
            Assert.That(code, Is.EqualTo(0), stderr);
            using JsonDocument summary = JsonDocument.Parse(stdout);
            JsonElement cache = summary.RootElement.GetProperty("prefix_cache");
            Assert.That((cache.GetProperty("prompt_tokens").GetInt64(), cache.GetProperty("hit_tokens").GetInt64()), Is.EqualTo((5436, 2048)));
            Assert.That(cache.GetProperty("hit_token_ratio").GetDouble(), Is.EqualTo(2048.0 / 5436));
            JsonElement tiers = cache.GetProperty("hit_tokens_by_tier");
            Assert.That((tiers.GetProperty("hbm").GetInt64(), tiers.GetProperty("host").GetInt64(), tiers.GetProperty("ssd").GetInt64()), Is.EqualTo((2048, 0, 0)));
            string[] rows = File.ReadAllLines(Path.Combine(Out, "requests.csv"));
            int column = Array.IndexOf(rows[0].Split(','), "prefix_hit_tokens");
            Assert.That(rows.Skip(1).Select(r => r.Split(',')[column]), Is.EqualTo(new[] { "0", "1024", "0", "1024", "0" }));
        }
    }
}
