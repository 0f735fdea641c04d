using System.IO;
using System.Linq;
using System.Text.Json;
using NUnit.Framework;

namespace Sim.Headless.Tests
{
    public class TraceStatsCommandTests
    {
        static string Fixture => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "mooncake_5.jsonl");

        [Test]
        public void JsonHasCountsQuantilesAndPrefixReuse()
        {
            // mooncake_5.jsonl: arrivals 0 .. 2.5 s; prompts 1024, 1300, 600, 2000, 512 (sorted 512 600 1024 1300 2000:
            // mean 1087.2, nearest-rank p50 = rank 3 = 1024, p90 = p99 = rank 5 = 2000); outputs 10, 20, 5, 7, 3
            // (sorted 3 5 7 10 20: mean 9, p50 7). Prefix reuse (worked in Sim.Core.Tests' TraceStatsTests):
            // 3,072 of 5,436 prompt tokens with an unbounded cache, 1,024 with a 1,024-token LRU, 0 with 512.
            var (code, stdout, stderr) = CliRunner.Run("trace", "stats", Fixture, "--cache-tokens", "1024", "--cache-tokens", "512", "--json");
            Assert.That(code, Is.EqualTo(0), stderr);
            using JsonDocument doc = JsonDocument.Parse(stdout);
            JsonElement root = doc.RootElement;
            Assert.That(root.GetProperty("count").GetInt64(), Is.EqualTo(5));
            Assert.That(root.GetProperty("duration_s").GetDouble(), Is.EqualTo(2.5));
            Assert.That(root.GetProperty("arrival_rate_per_s").GetDouble(), Is.EqualTo(2));
            JsonElement prompt = root.GetProperty("prompt_tokens");
            Assert.That(new[] { "mean", "p50", "p90", "p99", "max" }.Select(k => prompt.GetProperty(k).GetDouble()), Is.EqualTo(new[] { 1087.2, 1024, 2000, 2000, 2000 }));
            JsonElement output = root.GetProperty("output_tokens");
            Assert.That(new[] { "mean", "p50", "p90", "p99", "max" }.Select(k => output.GetProperty(k).GetDouble()), Is.EqualTo(new[] { 9.0, 7, 20, 20, 20 }));
            JsonElement reuse = root.GetProperty("prefix_reuse");
            Assert.That(reuse.GetProperty("infinite_cache_hit_token_ratio").GetDouble(), Is.EqualTo(3072.0 / 5436));
            JsonElement lru = reuse.GetProperty("lru");
            Assert.That(lru.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "512", "1024" }));
            Assert.That(lru.GetProperty("1024").GetDouble(), Is.EqualTo(1024.0 / 5436));
            Assert.That(lru.GetProperty("512").GetDouble(), Is.EqualTo(0));
        }

        [Test]
        public void NoPrefixReuseWithoutHashes()
        {
            string path = Path.Combine(Path.GetTempPath(), "sim-stats-" + System.Guid.NewGuid().ToString("N") + ".csv");
            File.WriteAllText(path, "arrived_at,num_prefill_tokens,num_decode_tokens\n0,100,10\n2,300,30\n");
            try
            {
                var (code, stdout, stderr) = CliRunner.Run("trace", "stats", path, "--trace-format", "vidur", "--json");
                Assert.That(code, Is.EqualTo(0), stderr);
                using JsonDocument doc = JsonDocument.Parse(stdout);
                Assert.That(doc.RootElement.TryGetProperty("prefix_reuse", out _), Is.False);
                Assert.That(doc.RootElement.GetProperty("arrival_rate_per_s").GetDouble(), Is.EqualTo(1));
                Assert.That(doc.RootElement.GetProperty("prompt_tokens").GetProperty("mean").GetDouble(), Is.EqualTo(200));
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Test]
        public void TableIsPrintedByDefault()
        {
            var (code, stdout, _) = CliRunner.Run("trace", "stats", Fixture, "--cache-tokens", "1024");
            Assert.That(code, Is.EqualTo(0));
            Assert.That(stdout, Does.Contain("5 requests over 2.5 s").And.Contain("56.51%").And.Contain("LRU of 1024 tokens").And.Contain("18.84%"));
        }

        [Test]
        public void MissingFileIsAUserError()
        {
            var (code, _, stderr) = CliRunner.Run("trace", "stats", "no-such-trace.csv", "--json");
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stderr, Does.StartWith("error: no-such-trace.csv: trace file not found"));
        }

        [TestCase("--trace-format", "xml", "error: <flag>: --trace-format:")]
        [TestCase("--cache-tokens", "0", "error: <flag>: --cache-tokens:")]
        public void BadFlagsAreUserErrors(string flag, string value, string start)
        {
            var (code, _, stderr) = CliRunner.Run("trace", "stats", Fixture, flag, value);
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stderr, Does.StartWith(start));
        }
    }
}
