using System;
using System.IO;
using NUnit.Framework;
using Sim.Tests.Shared;

namespace Sim.Headless.Tests
{
    /// <summary>
    /// <c>sim run</c> reads the trace while another thread reads the perf model's attention table; the error it reports is the
    /// one reading them one after the other gave: the trace's, then the scene's KV capacity, then the tables'.
    /// </summary>
    public class RunInputOrderTests
    {
        const string BadTraceError = "trace.csv:3: num_prefill_tokens: 'x' is not a number";
        const string BadKvError = "kv.capacity_tokens: must hold at least one page of kv.block_tokens tokens";
        const string BadTableError = "mlp.csv:1: n_head: missing column";

        string _dir = "";

        [SetUp]
        public void MakeFolder()
        {
            _dir = Path.Combine(TestContext.CurrentContext.TestDirectory, "input-order-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path.Combine(_dir, "broken-tables"));
            File.WriteAllText(Path.Combine(_dir, "broken-tables", "mlp.csv"), "num_tokens,num_tensor_parallel_workers\n1,1\n");
        }

        [TearDown]
        public void RemoveFolder() => Directory.Delete(_dir, true);

        [TestCase(true, false, false, BadTraceError)]
        [TestCase(false, false, true, BadTableError)]
        [TestCase(false, true, false, BadKvError)]
        [TestCase(true, false, true, BadTraceError)]
        [TestCase(false, true, true, BadKvError)]
        [TestCase(true, true, true, BadTraceError)]
        public void TheFirstBadInputInReadingOrderIsTheOneLineReported(bool badTrace, bool badKv, bool badTables, string expected)
        {
            File.WriteAllText(Path.Combine(_dir, "trace.csv"), "arrived_at,num_prefill_tokens,num_decode_tokens\n0,100,10\n" + (badTrace ? "1,x,10\n" : "1,100,10\n"));
            string tables = badTables ? Path.Combine(_dir, "broken-tables") : Repository.PathOf("scenes", "profiles", "a100-excerpt");
            string scene = Path.Combine(_dir, "scene.yaml");
            File.WriteAllText(scene, "name: t\nmodel: llama-2-7b\nhardware: a100-80g\nperf: { model: profile, profiles: " + tables + " }\n"
                + (badKv ? "kv: { capacity_tokens: 1 }\n" : "") + "workload:\n  trace: trace.csv\n");
            string outDir = Path.Combine(_dir, "out");
            var (code, stdout, stderr) = CliRunner.Run("run", scene, "--out", outDir, "--backend", "cpu");
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stderr.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), stderr);
            Assert.That(stderr, Does.StartWith("error: ").And.Contain(expected));
            Assert.That((stdout, Directory.Exists(outDir)), Is.EqualTo(("", false)));
        }
    }
}
