using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using NUnit.Framework;
using Sim.Tests.Shared;

namespace Sim.Headless.Tests
{
    /// <summary><c>sim run --timeline</c>: the trace-event JSON against iterations.csv of the same run.</summary>
    public class TimelineTests
    {
        string _dir = "";

        [SetUp]
        public void MakeFolder()
        {
            _dir = Path.Combine(TestContext.CurrentContext.TestDirectory, "timeline-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
        }

        [TearDown]
        public void RemoveFolder() => Directory.Delete(_dir, true);

        /// <summary>A scene whose small KV pool makes the scheduler preempt.</summary>
        string WriteCrowdedScene()
        {
            var trace = new StringBuilder("TIMESTAMP,ContextTokens,GeneratedTokens\n");
            for (int i = 0; i < 200; i++)
                trace.Append(new DateTime(2023, 11, 16, 18, 0, 0).AddMilliseconds(20 * i).ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture))
                    .Append(',').Append(200 + 37 * i % 700).Append(',').Append(50 + 13 * i % 300).Append('\n');
            File.WriteAllText(Path.Combine(_dir, "trace.csv"), trace.ToString());
            string scene = Path.Combine(_dir, "scene.yaml");
            File.WriteAllText(scene, "name: t\nmodel: llama-2-7b\nhardware: a100-80g\ncluster: { replicas: 2 }\nkv: { capacity_tokens: 3000 }\nworkload:\n  trace: trace.csv\n");
            return scene;
        }

        static JsonElement[] Events(string path)
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            return document.RootElement.GetProperty("traceEvents").EnumerateArray().Select(e => e.Clone()).ToArray();
        }

        static string[][] IterationRows(string outDir) =>
            File.ReadAllLines(Path.Combine(outDir, "iterations.csv")).Skip(1).Select(l => l.Split(',')).ToArray();

        [Test]
        public void OneSlicePerIterationAtItsSimulatedTimeAndAnInstantPerPreemptingIteration()
        {
            string outDir = Path.Combine(_dir, "out"), timeline = Path.Combine(_dir, "timeline", "trace.json");
            var (code, _, stderr) = CliRunner.Run("run", WriteCrowdedScene(), "--out", outDir, "--timeline", timeline);
            Assert.That(code, Is.EqualTo(0), stderr);
            JsonElement[] events = Events(timeline);
            string[][] rows = IterationRows(outDir);
            JsonElement[] slices = events.Where(e => e.GetProperty("ph").GetString() == "X" && e.GetProperty("tid").GetInt32() == 0).ToArray();
            Assert.That(slices, Has.Length.EqualTo(rows.Length));
            for (int i = 0; i < rows.Length; i++)
            {
                // iterations.csv columns: replica, iteration, start_s, duration_s, num_seqs, prefill_tokens, decode_tokens, preempted, ...
                Assert.That(slices[i].GetProperty("pid").GetInt32(), Is.EqualTo(int.Parse(rows[i][0], CultureInfo.InvariantCulture)));
                Assert.That(slices[i].GetProperty("ts").GetDouble(), Is.EqualTo(double.Parse(rows[i][2], CultureInfo.InvariantCulture) * 1e6).Within(1e-6));
                Assert.That(slices[i].GetProperty("dur").GetDouble(), Is.EqualTo(double.Parse(rows[i][3], CultureInfo.InvariantCulture) * 1e6).Within(1e-6));
                bool prefill = rows[i][5] != "0", decode = rows[i][6] != "0";
                Assert.That(slices[i].GetProperty("name").GetString(), Is.EqualTo(prefill ? (decode ? "mixed" : "prefill") : "decode"));
            }
            int preempting = rows.Count(r => r[7] != "0");
            Assert.That(preempting, Is.GreaterThan(0), "the crowded scene preempts");
            Assert.That(events.Count(e => e.GetProperty("ph").GetString() == "i" && e.GetProperty("name").GetString() == "preempt"), Is.EqualTo(preempting));
            Assert.That(events.Where(e => e.GetProperty("ph").GetString() == "M" && e.GetProperty("name").GetString() == "process_name")
                .Select(e => e.GetProperty("args").GetProperty("name").GetString()), Is.EquivalentTo(new[] { "replica 0", "replica 1" }));
        }

        [Test]
        public void DisaggregatedRunsShowEachHandOffOnThePrefillReplicas()
        {
            string outDir = Path.Combine(_dir, "out"), timeline = Path.Combine(_dir, "trace.json");
            var (code, stdout, stderr) = CliRunner.Run("run", Repository.PathOf("scenes", "examples", "disagg-llama3-70b-h100.yaml"),
                "--set", "workload.requests=120", "--out", outDir, "--timeline", timeline, "--json");
            Assert.That(code, Is.EqualTo(0), stderr);
            using JsonDocument summary = JsonDocument.Parse(stdout);
            long completed = summary.RootElement.GetProperty("requests").GetProperty("completed").GetInt64();
            JsonElement[] handOffs = Events(timeline).Where(e => e.GetProperty("name").GetString() == "kv hand-off").ToArray();
            Assert.That(handOffs.Sum(e => e.GetProperty("args").GetProperty("requests").GetInt32()), Is.EqualTo(completed), "every completed request crossed once");
            Assert.That(handOffs.All(e => e.GetProperty("dur").GetDouble() > 0));
        }

        [Test]
        public void OffloadedExpertsShowTheirLoadsWithinTheirIterations()
        {
            string outDir = Path.Combine(_dir, "out"), timeline = Path.Combine(_dir, "trace.json");
            var (code, _, stderr) = CliRunner.Run("run", Repository.PathOf("scenes", "examples", "moe-mixtral-offload.yaml"),
                "--set", "workload.requests=60", "--out", outDir, "--timeline", timeline);
            Assert.That(code, Is.EqualTo(0), stderr);
            JsonElement[] events = Events(timeline);
            var iterations = events.Where(e => e.GetProperty("ph").GetString() == "X" && e.GetProperty("tid").GetInt32() == 0)
                .ToDictionary(e => (e.GetProperty("pid").GetInt32(), e.GetProperty("ts").GetDouble()), e => e.GetProperty("dur").GetDouble());
            JsonElement[] loads = events.Where(e => e.GetProperty("name").GetString() == "expert load").ToArray();
            Assert.That(loads, Is.Not.Empty, "the offload scene misses experts in HBM");
            foreach (JsonElement load in loads)
                Assert.That(load.GetProperty("dur").GetDouble(), Is.GreaterThan(0).And.LessThanOrEqualTo(iterations[(load.GetProperty("pid").GetInt32(), load.GetProperty("ts").GetDouble())]));
        }

        [Test]
        public void TheSameRunWritesTheSameTimeline()
        {
            string scene = WriteCrowdedScene();
            Assert.That(CliRunner.Run("run", scene, "--out", Path.Combine(_dir, "a"), "--timeline", Path.Combine(_dir, "a.json")).ExitCode, Is.EqualTo(0));
            Assert.That(CliRunner.Run("run", scene, "--out", Path.Combine(_dir, "b"), "--timeline", Path.Combine(_dir, "b.json")).ExitCode, Is.EqualTo(0));
            Assert.That(File.ReadAllBytes(Path.Combine(_dir, "b.json")), Is.EqualTo(File.ReadAllBytes(Path.Combine(_dir, "a.json"))));
        }

        [Test]
        public void AFailedRunLeavesNoTimeline()
        {
            string scene = WriteCrowdedScene();
            File.AppendAllText(Path.Combine(_dir, "trace.csv"), "2023-11-16 19:00:00.0000000,abc,10\n");
            string timeline = Path.Combine(_dir, "trace.json");
            Assert.That(CliRunner.Run("run", scene, "--out", Path.Combine(_dir, "out"), "--timeline", timeline).ExitCode, Is.EqualTo(2));
            Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName), Is.EquivalentTo(new[] { "scene.yaml", "trace.csv" }));
        }
    }
}
