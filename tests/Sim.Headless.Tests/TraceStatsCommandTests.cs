using System.IO;
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
            // The fixture's figures are worked out in Sim.Core.Tests' TraceStatsTests: 5 requests over 2.5 s,
            // 3,072 of 5,436 prompt tokens reusable with an unbounded cache, 1,024 with a 1,024-token LRU.
            var (code, stdout, stderr) = CliRunner.Run("trace", "stats", Fixture, "--cache-tokens", "1024", "--json");
            Assert.That(code, Is.EqualTo(0), stderr);
            using JsonDocument doc = JsonDocument.Parse(stdout);
            JsonElement root = doc.RootElement;
            Assert.That(root.GetProperty("count").GetInt64(), Is.EqualTo(5));
            Assert.That(root.GetProperty("duration_s").GetDouble(), Is.EqualTo(2.5));
            Assert.That(root.GetProperty("prompt_tokens").GetProperty("max").GetDouble(), Is.EqualTo(2000));
            JsonElement reuse = root.GetProperty("prefix_reuse");
            Assert.That(reuse.GetProperty("infinite_cache_hit_token_ratio").GetDouble(), Is.EqualTo(3072.0 / 5436).Within(1e-12));
            Assert.That(reuse.GetProperty("lru").GetProperty("1024").GetDouble(), Is.EqualTo(1024.0 / 5436).Within(1e-12));
        }

        [Test]
        public void TableIsPrintedByDefault()
        {
            var (code, stdout, _) = CliRunner.Run("trace", "stats", Fixture);
            Assert.That(code, Is.EqualTo(0));
            Assert.That(stdout, Does.Contain("5 requests").And.Contain("prefix reuse"));
        }

        [Test]
        public void MissingFileIsAUserError()
        {
            var (code, _, stderr) = CliRunner.Run("trace", "stats", "no-such-trace.csv");
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stderr, Does.StartWith("error: no-such-trace.csv").And.Contain("not found"));
        }
    }
}
