using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using NUnit.Framework;

namespace Sim.Headless.Tests
{
    /// <summary>The capacity search checked against independent <c>sim run --time-scale</c> runs.</summary>
    public class CapacityCommandTests
    {
        string _dir = "";

        [SetUp]
        public void MakeFolder()
        {
            _dir = Path.Combine(TestContext.CurrentContext.TestDirectory, "capacity-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
        }

        [TearDown]
        public void RemoveFolder() => Directory.Delete(_dir, true);

        /// <summary>60 requests a second apart (prompt 2,000, output 100) on one Llama-2-7B / A100: one replica keeps up at scale 1.</summary>
        string Scene()
        {
            var trace = new StringBuilder("arrived_at,num_prefill_tokens,num_decode_tokens\n");
            for (int i = 0; i < 60; i++) trace.Append(i.ToString(CultureInfo.InvariantCulture)).Append(",2000,100\n");
            File.WriteAllText(Path.Combine(_dir, "trace.csv"), trace.ToString());
            string scene = Path.Combine(_dir, "scene.yaml");
            File.WriteAllText(scene, "name: c\nmodel: llama-2-7b\nhardware: a100-80g\nworkload:\n  trace: trace.csv\n");
            return scene;
        }

        static double Metric(string summaryJson, string metric, string stat)
        {
            using JsonDocument summary = JsonDocument.Parse(summaryJson);
            return summary.RootElement.GetProperty(metric).GetProperty(stat).GetDouble();
        }

        [Test]
        public void TheFoundRateMeetsTheSloAndTheNextFailingRateDoesNot()
        {
            string scene = Scene();
            var (code, stdout, stderr) = CliRunner.Run("capacity", scene, "--slo", "ttft_p99=1,tbt_p99=0.05", "--tolerance", "0.02", "--json");
            Assert.That(code, Is.EqualTo(0), stderr);
            using JsonDocument result = JsonDocument.Parse(stdout);
            JsonElement root = result.RootElement;
            Assert.That(root.GetProperty("met").GetBoolean(), Is.True);
            double scale = root.GetProperty("time_scale").GetDouble();
            JsonElement limiting = root.GetProperty("limiting");
            double failingRate = limiting.GetProperty("requests_per_s").GetDouble(), rate = root.GetProperty("requests_per_s").GetDouble();
            Assert.That(rate, Is.EqualTo(60 / (59 * scale)).Within(1e-9), "60 requests over 59 s at scale 1");
            Assert.That(failingRate / rate, Is.InRange(1, 1.02), "bracketed within the tolerance");

            // Second implementation: sim run at the two scales.
            string At(double s)
            {
                var run = CliRunner.Run("run", scene, "--time-scale", s.ToString("R", CultureInfo.InvariantCulture), "--json", "--out", Path.Combine(_dir, "out-" + s.ToString("R", CultureInfo.InvariantCulture)));
                Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
                return run.Out;
            }
            string met = At(scale), failed = At(60 / (59 * failingRate));
            Assert.That(Metric(met, "ttft_s", "p99"), Is.LessThanOrEqualTo(1));
            Assert.That(Metric(met, "tbt_s", "p99"), Is.LessThanOrEqualTo(0.05));
            string key = limiting.GetProperty("slo").GetString()!;
            double value = limiting.GetProperty("value_s").GetDouble();
            Assert.That(value, Is.GreaterThan(limiting.GetProperty("bound_s").GetDouble()));
            Assert.That(value, Is.EqualTo(key == "ttft_p99" ? Metric(failed, "ttft_s", "p99") : Metric(failed, "tbt_s", "p99")));
        }

        [TestCase("ttft_p98=1", "ttft_p99")]
        [TestCase("ttft_p99=-1", "is not a number of seconds above 0")]
        [TestCase("ttft_p99", "expected key=seconds")]
        public void BadSloIsOneLineExit2(string slo, string mentioned)
        {
            var (code, _, error) = CliRunner.Run("capacity", Scene(), "--slo", slo);
            Assert.That(code, Is.EqualTo(2));
            Assert.That(error.Trim().Split('\n').Length, Is.EqualTo(1));
            Assert.That(error, Does.StartWith("error: --slo").And.Contain(mentioned));
        }
    }
}
