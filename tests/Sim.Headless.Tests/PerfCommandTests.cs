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

        [Test]
        public void IterationAddsEveryLayerTheLmHeadAndTheOverhead()
        {
            // Llama-2-7B (32 layers, vocabulary 32,000, hidden 4,096) on one A100, one sequence of 1 token:
            // LM head = GEMM 1 x 4,096 x 32,000: weights stream at 2,039 GB/s x 0.79: 2 x (4096·32000 + 4096 + 32000) B
            // / 1.611e12 B/s = 0.16279 ms, above the 128-token tile's compute (0.14732 ms), plus the 7 µs floor: 0.16979 ms.
            string[] Rows(params string[] extra) => CliRunner.Run(new[] { "perf", "--model", "llama-2-7b", "--hardware", "a100-80g", "--tokens", "1", "--csv" }.Concat(extra).ToArray())
                .Out.Split('\n', System.StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
            string[] layer = Rows(), iteration = Rows("--iteration", "--overhead-ms", "2");
            Assert.That(iteration.Length, Is.EqualTo(1 + 12 + 4), "12 operators, lm_head, pipeline_handoff, overhead, iteration");
            foreach (string op in new[] { "attn_pre_proj", "mlp_up_proj", "attn_prefill", "add" })
                Assert.That(Time(iteration, "1", op), Is.EqualTo(32 * Time(layer, "1", op)).Within(1e-9));
            Assert.That(Time(iteration, "1", "lm_head"), Is.EqualTo(0.16979).Within(1e-5));
            Assert.That(Time(iteration, "1", "pipeline_handoff"), Is.EqualTo(0));
            Assert.That(Time(iteration, "1", "overhead"), Is.EqualTo(2));
            double parts = iteration.Skip(1).Where(l => !l.StartsWith("1,iteration,", System.StringComparison.Ordinal))
                .Sum(l => double.Parse(l.Split(',')[2], CultureInfo.InvariantCulture));
            Assert.That(Time(iteration, "1", "iteration"), Is.EqualTo(parts).Within(1e-9));
            var misuse = CliRunner.Run("perf", "--model", "llama-2-7b", "--hardware", "a100-80g", "--overhead-ms", "2");
            Assert.That(misuse.ExitCode, Is.EqualTo(2));
            Assert.That(misuse.Error, Does.StartWith("error: --overhead-ms").And.Contain("only read with --iteration"));
        }

        static double Time(string[] lines, string tokens, string op) =>
            double.Parse(lines.Single(l => l.StartsWith(tokens + "," + op + ",", System.StringComparison.Ordinal)).Split(',')[2], CultureInfo.InvariantCulture);
    }
}
