using System.Globalization;
using System.Linq;
using NUnit.Framework;

namespace Sim.Headless.Tests
{
    public class PerfCommandTests
    {
        [Test]
        public void CsvHasOneRowPerTokenCountAndOperator()
        {
            var (code, stdout, stderr) = CliRunner.Run("perf", "--model", "llama-2-7b", "--hardware", "a100-80g", "--tp", "2", "--tokens", "1,512,4096", "--csv");
            Assert.That(code, Is.EqualTo(0), stderr);
            string[] lines = stdout.Split('\n', System.StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
            Assert.That(lines[0], Is.EqualTo("num_tokens,op,time_ms"));
            Assert.That(lines.Length, Is.EqualTo(1 + 3 * 12), "3 token counts × 12 operators of a dense layer");
            Assert.That(lines.Skip(1).Select(l => l.Split(',')[0]).Distinct(), Is.EqualTo(new[] { "1", "512", "4096" }));
            // A prefill batch has no decode attention; TP 2 has an all-reduce.
            Assert.That(Time(lines, "512", "attn_decode"), Is.EqualTo(0));
            Assert.That(Time(lines, "512", "all_reduce"), Is.GreaterThan(0));
            Assert.That(Time(lines, "4096", "mlp_up_proj"), Is.GreaterThan(Time(lines, "512", "mlp_up_proj")));
        }

        [Test]
        public void ContextMakesDecodeBatches()
        {
            var (code, stdout, stderr) = CliRunner.Run("perf", "--model", "mixtral-8x7b", "--hardware", "h100-sxm", "--tokens", "8", "--context", "2000", "--csv");
            Assert.That(code, Is.EqualTo(0), stderr);
            string[] lines = stdout.Split('\n', System.StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
            Assert.That(lines.Length, Is.EqualTo(1 + 14), "an MoE layer adds moe_gate and moe_experts");
            Assert.That(Time(lines, "8", "attn_prefill"), Is.EqualTo(0));
            Assert.That(Time(lines, "8", "attn_decode"), Is.GreaterThan(0));
        }

        [Test]
        public void UnknownModelIsAUserError()
        {
            var (code, _, stderr) = CliRunner.Run("perf", "--model", "llama-9", "--hardware", "a100-80g", "--csv");
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stderr, Does.StartWith("error: --model").And.Contain("llama-2-7b"));
        }

        [Test]
        public void BadTokenListIsAUserError()
        {
            var (code, _, stderr) = CliRunner.Run("perf", "--model", "llama-2-7b", "--hardware", "a100-80g", "--tokens", "1,x");
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stderr, Does.StartWith("error: --tokens"));
        }

        static double Time(string[] lines, string tokens, string op) =>
            double.Parse(lines.Single(l => l.StartsWith(tokens + "," + op + ",", System.StringComparison.Ordinal)).Split(',')[2], CultureInfo.InvariantCulture);
    }
}
