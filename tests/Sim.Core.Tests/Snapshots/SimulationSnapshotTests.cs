using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NUnit.Framework;
using Sim.Core.Metrics;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Core.Snapshots;
using Sim.Tests.Shared;

namespace Sim.Core.Tests.Snapshots
{
    /// <summary>Snapshot at step k, restore into a fresh simulation, run on: the same run as never stopping.</summary>
    public class SimulationSnapshotTests
    {
        const string Synthetic = "workload:\n  synthetic: { requests: 160, arrival: poisson, rate_per_s: 40, prompt_tokens: { dist: uniform, min: 100, max: 900 }, output_tokens: { dist: uniform, min: 20, max: 200 } }\n";

        static readonly Dictionary<string, string> Scenes = new Dictionary<string, string>
        {
            ["vllm, preempting by recompute"] = "name: a\nmodel: llama-2-7b\nhardware: a100-80g\ncluster: { replicas: 2 }\nkv: { capacity_tokens: 3000 }\n" + Synthetic,
            ["sarathi, swap, power-of-two"] = "name: b\nseed: 5\nmodel: llama-2-7b\nhardware: a100-80g\ncluster: { replicas: 3, router: power-of-two }\nkv: { capacity_tokens: 2500 }\n" +
                "scheduler: { policy: sarathi, chunk_tokens: 256, preemption: swap }\n" + Synthetic,
            ["prefix cache, host tier, prefix-aware"] = "name: c\nmodel: llama-2-7b\nhardware: a100-80g\ncluster: { replicas: 2, router: prefix-aware }\n" +
                "kv: { capacity_tokens: 12000, prefix_caching: true, tiers: { host: { capacity_gib: 1 } } }\n" +
                "workload:\n  shared_prefix: { groups: 10, tokens: 2048, fraction: 1 }\n  synthetic: { requests: 150, arrival: poisson, rate_per_s: 20, prompt_tokens: { dist: uniform, min: 2100, max: 3000 }, output_tokens: { dist: fixed, value: 20 } }\n",
            ["token mode, h2o"] = "name: d\nmodel: llama-2-7b\nhardware: a100-80g\ncluster: { replicas: 2 }\n" +
                "kv: { capacity_tokens: 4000, token_level: true, compression: { policy: h2o, budget_tokens: 256, recent_tokens: 32 } }\n" +
                "workload:\n  synthetic: { requests: 60, arrival: poisson, rate_per_s: 20, prompt_tokens: { dist: uniform, min: 100, max: 700 }, output_tokens: { dist: uniform, min: 20, max: 120 } }\n",
            ["token mode, lazy"] = "name: d\nmodel: llama-2-7b\nhardware: a100-80g\ncluster: { replicas: 2 }\n" +
                "kv: { capacity_tokens: 4000, token_level: true, compression: { policy: lazy, budget_tokens: 256, recent_tokens: 32 } }\n" +
                "workload:\n  synthetic: { requests: 60, arrival: poisson, rate_per_s: 20, prompt_tokens: { dist: uniform, min: 100, max: 700 }, output_tokens: { dist: uniform, min: 20, max: 120 } }\n",
            ["token mode, mikv"] = "name: d\nmodel: llama-2-7b\nhardware: a100-80g\ncluster: { replicas: 2 }\n" +
                "kv: { capacity_tokens: 4000, token_level: true, compression: { policy: mikv, budget_tokens: 256, recent_tokens: 32 } }\n" +
                "workload:\n  synthetic: { requests: 60, arrival: poisson, rate_per_s: 20, prompt_tokens: { dist: uniform, min: 100, max: 700 }, output_tokens: { dist: uniform, min: 20, max: 120 } }\n",
            ["token mode, cake"] = "name: d\nmodel: llama-2-7b\nhardware: a100-80g\ncluster: { replicas: 2 }\n" +
                "kv: { capacity_tokens: 4000, token_level: true, compression: { policy: cake, budget_tokens: 256, recent_tokens: 32 } }\n" +
                "workload:\n  synthetic: { requests: 60, arrival: poisson, rate_per_s: 20, prompt_tokens: { dist: uniform, min: 100, max: 700 }, output_tokens: { dist: uniform, min: 20, max: 120 } }\n",
        };

        sealed class Recorder : IIterationSink
        {
            public List<IterationRecord> Iterations { get; } = new List<IterationRecord>();

            public void OnIteration(in IterationRecord iteration) => Iterations.Add(iteration);
        }

        string _dir = "";

        [SetUp]
        public void MakeFolder()
        {
            _dir = Path.Combine(TestContext.CurrentContext.TestDirectory, "snapshot-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
        }

        [TearDown]
        public void RemoveFolder() => Directory.Delete(_dir, true);

        Scene Load(string yaml, params string[] overrides)
        {
            string path = Path.Combine(_dir, "scene.yaml");
            File.WriteAllText(path, yaml);
            return SceneLoader.Load(path, overrides);
        }

        static Simulation Build(Scene scene, Recorder recorder)
        {
            SceneWorkload workload = SceneWorkload.Open(scene);
            return new Simulation(scene, workload.Requests, workload.Count, workload.SourceName, recorder);
        }

        /// <summary>The run's outcome, written out by reflection over every field of every record and of KV usage.</summary>
        static string Outcome(Simulation simulation)
        {
            static string Fields(object value) => string.Join(" ", value.GetType().GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic)
                .Select(f => f.Name + "=" + f.GetValue(value)));
            return "now " + simulation.NowS.ToString("R") + " steps " + simulation.Steps + " iterations " + simulation.TotalIterations + "\n" +
                Fields(simulation.KvUsage) + "\n" + string.Join("\n", simulation.Log.Records.ToArray().Select(r => Fields(r)));
        }

        static IEnumerable<TestCaseData> Cases() =>
            from scene in Scenes.Keys
            from step in new[] { 1, 37, 400 }
            select new TestCaseData(scene, step).SetName("{m}(" + scene + ", step " + step + ")");

        [TestCaseSource(nameof(Cases))]
        public void RestoredAtAStepTheRunEndsAsIfNeverStopped(string sceneName, int step)
        {
            Scene scene = Load(Scenes[sceneName]);
            var whole = new Recorder();
            using Simulation uninterrupted = Build(scene, whole);
            uninterrupted.Run();

            var before = new Recorder();
            using Simulation first = Build(scene, before);
            for (int i = 0; i < step && first.Step(); i++) { }
            byte[] snapshot = first.Save();

            var after = new Recorder();
            using Simulation restored = Build(scene, after);
            restored.Load(snapshot);
            Assert.That(restored.Steps, Is.EqualTo(first.Steps));
            restored.Run();
            Assert.That(Outcome(restored), Is.EqualTo(Outcome(uninterrupted)));
            Assert.That(before.Iterations.Concat(after.Iterations), Is.EqualTo(whole.Iterations), "the iterations before the snapshot and after the restore are the run's");
        }

        [Test]
        public void DisaggregatedRunsRestoreWithTheirTransfersInFlight()
        {
            Scene scene = SceneLoader.Load(Repository.PathOf("scenes", "examples", "disagg-llama3-70b-h100.yaml"), new[] { "workload.requests=150" });
            using Simulation uninterrupted = Build(scene, new Recorder());
            uninterrupted.Run();
            using Simulation first = Build(scene, new Recorder());
            // Step until some KV is crossing from the prefill pool to the decode pool.
            while (first.Step() && first.World.GetResource<KvTransfers>().Count == 0) { }
            Assert.That(first.World.GetResource<KvTransfers>().Count, Is.GreaterThan(0));
            using Simulation restored = Build(scene, new Recorder());
            restored.Load(first.Save());
            restored.Run();
            Assert.That(Outcome(restored), Is.EqualTo(Outcome(uninterrupted)));
        }

        [TestCase(5)]
        [TestCase(300)]
        public void MoeRunsWithOffloadedExpertsRestore(int step)
        {
            Scene scene = SceneLoader.Load(Repository.PathOf("scenes", "examples", "moe-mixtral-offload.yaml"), new[] { "workload.requests=80" });
            using Simulation uninterrupted = Build(scene, new Recorder());
            uninterrupted.Run();
            using Simulation first = Build(scene, new Recorder());
            for (int i = 0; i < step; i++) first.Step();
            using Simulation restored = Build(scene, new Recorder());
            restored.Load(first.Save());
            restored.Run();
            Assert.That(Outcome(restored), Is.EqualTo(Outcome(uninterrupted)));
            Assert.That(restored.Cluster.Replicas.Select(r => (r.Moe!.Stats.Hits, r.Moe.Stats.Misses, r.Moe.Stats.StallS)),
                Is.EqualTo(uninterrupted.Cluster.Replicas.Select(r => (r.Moe!.Stats.Hits, r.Moe.Stats.Misses, r.Moe.Stats.StallS))));
        }

        [TestCase("speculative-llama2-70b-a100.yaml", "workload.requests=100", 150)]
        [TestCase("moe-mixtral-nested-bits.yaml", "workload.requests=80", 300)]
        [TestCase("mooncake-prefix-llama3.1-70b.yaml", "workload.synthetic.requests=150", 300, "kv.eviction=predicted", "kv.reuse_prediction.error=0.3")]
        public void RunsWithSeededTechniqueStreamsRestore(string example, string requests, int step, params string[] more)
        {
            // Speculative acceptance and wrong reuse predictions are drawn from streams the snapshot must carry; nested experts' byte cache is state of its own.
            Scene scene = SceneLoader.Load(Repository.PathOf("scenes", "examples", example), new[] { requests }.Concat(more).ToArray());
            using Simulation uninterrupted = Build(scene, new Recorder());
            uninterrupted.Run();
            using Simulation first = Build(scene, new Recorder());
            for (int i = 0; i < step; i++) first.Step();
            using Simulation restored = Build(scene, new Recorder());
            restored.Load(first.Save());
            restored.Run();
            Assert.That(Outcome(restored), Is.EqualTo(Outcome(uninterrupted)));
        }

        [Test]
        public void ASnapshotIsRefusedByAnotherSceneAndByARunAlreadyUnderWay()
        {
            // Stepped one event at a time (a fast-forward move may run the whole run in one call), so both runs are under way.
            Scene scene = Load(Scenes["vllm, preempting by recompute"], "fast_forward=false");
            using Simulation first = Build(scene, new Recorder());
            for (int i = 0; i < 50; i++) first.Step();
            byte[] snapshot = first.Save();
            using Simulation other = Build(Load(Scenes["vllm, preempting by recompute"], "fast_forward=false", "seed=99"), new Recorder());
            Assert.That(Assert.Throws<SnapshotException>(() => other.Load(snapshot))!.Message, Does.Contain("another scene"));
            using Simulation underway = Build(scene, new Recorder());
            for (int i = 0; i < 80; i++) underway.Step();
            Assert.That(Assert.Throws<SnapshotException>(() => underway.Load(snapshot))!.Message, Does.Contain("restore into a simulation just built"));
            Assert.Throws<SnapshotException>(() => Build(scene, new Recorder()).Load(snapshot.Take(snapshot.Length / 2).ToArray()));
        }

        [Test]
        public void ASnapshotOfAnotherFormatVersionOrComponentSchemaIsRefusedWithOneLine()
        {
            Scene scene = Load(Scenes["vllm, preempting by recompute"]);
            using Simulation simulation = Build(scene, new Recorder());
            var olderFormat = new SnapshotWriter();
            olderFormat.Write("sim-snapshot");
            olderFormat.Write(1);
            string version = Assert.Throws<SnapshotException>(() => simulation.Load(olderFormat.ToArray()))!.Message;
            Assert.That(version, Does.Contain("format version 1").And.Not.Contain("\n"));

            // The header names each component and its size: a build whose RequestInfo differs reads none of it.
            byte[] snapshot = simulation.Save();
            var header = new SnapshotReader(snapshot);
            header.Read<string>();
            int format = header.Read<int>();
            string schema = header.Read<string>();
            Assert.That(schema, Does.Contain("RequestInfo:").And.Contain("KvPage:").And.Contain("ExpertState:"));
            var otherSchema = new SnapshotWriter();
            otherSchema.Write("sim-snapshot");
            otherSchema.Write(format);
            otherSchema.Write(schema.Replace("RequestInfo:", "RequestInfo:1"));
            string components = Assert.Throws<SnapshotException>(() => simulation.Load(otherSchema.ToArray()))!.Message;
            Assert.That(components, Does.Contain("differ from this build's").And.Not.Contain("\n"));
        }
    }
}
