using System;
using System.IO;
using NUnit.Framework;
using Sim.Core.PerfModel;
using Sim.Core.Scenes;

namespace Sim.Core.Tests.Scenes
{
    /// <summary>Shapes and sizes no machine could hold are refused when the scene is read, at the line that asks for them.</summary>
    public class SceneLimitsTests
    {
        string _dir = "";

        [SetUp]
        public void MakeFolder()
        {
            _dir = Path.Combine(TestContext.CurrentContext.TestDirectory, "scene-limit-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
        }

        [TearDown]
        public void RemoveFolder() => Directory.Delete(_dir, true);

        SimInputException Refused(string body)
        {
            string path = Path.Combine(_dir, "scene.yaml");
            File.WriteAllText(path, "name: t\nmodel: llama-2-70b\nhardware: a100-80g\n" + body + "workload:\n  trace: trace.csv\n");
            return Assert.Throws<SimInputException>(() => SceneLoader.Load(path, Array.Empty<string>()))!;
        }

        Scene Loaded(string body)
        {
            string path = Path.Combine(_dir, "scene.yaml");
            File.WriteAllText(path, "name: t\nmodel: llama-2-70b\nhardware: a100-80g\n" + body + "workload:\n  trace: trace.csv\n");
            return SceneLoader.Load(path, Array.Empty<string>());
        }

        [Test]
        public void TensorParallelismMustDivideTheAttentionHeads()
        {
            // Llama-2-70B: 64 query heads, 8 KV heads. 3 and 4096 do not divide 64.
            SimInputException three = Refused("parallelism: { tp: 3 }\n");
            Assert.That(three.Line, Is.EqualTo(4));
            Assert.That(three.Field, Is.EqualTo("parallelism.tp"));
            Assert.That(three.Problem, Does.StartWith("3 does not divide llama-2-70b's 64 attention heads").And.EndWith("use one of 1, 2, 4, 8, 16, 32, 64"));
            Assert.That(Refused("parallelism: { tp: 4096 }\n").Problem, Does.StartWith("4096 does not divide"));
        }

        [Test]
        public void KvHeadsReplicateWhenTheGpusAreAMultipleOfThem()
        {
            // vLLM: 16 GPUs over 8 KV heads keep one head each, every head on two GPUs.
            Assert.That(Loaded("parallelism: { tp: 16 }\nkv: { capacity_tokens: 20000 }\n").TensorParallel, Is.EqualTo(16));
            // 12 query heads, 4 KV heads: 6 divides the query heads, but neither 4 % 6 nor 6 % 4 is 0 (vLLM asserts this too).
            var model = new ModelSpec { Heads = 12, KvHeads = 4, Layers = 2 };
            Assert.That(SceneLimits.TensorParallelProblem(model, "m", 6), Does.StartWith("6 GPUs cannot share m's 4 KV heads").And.EndWith("use one of 1, 2, 4, 12"));
            Assert.That(SceneLimits.TensorParallelProblem(model, "m", 12), Is.Null);
            Assert.That(SceneLimits.TensorParallelProblem(model, "m", 2), Is.Null);
        }

        [Test]
        public void EachPipelineStageNeedsALayer()
        {
            SimInputException e = Refused("parallelism: { tp: 2, pp: 81 }\n");
            Assert.That(e.Field, Is.EqualTo("parallelism.pp"));
            Assert.That(e.Problem, Is.EqualTo("81 stages for llama-2-70b's 80 layers; each stage needs at least one layer"));
        }

        [Test]
        public void ADisaggregatedPoolIsCheckedToo()
        {
            SimInputException e = Refused("parallelism: { tp: 2 }\ncluster:\n  disaggregation:\n    prefill: { replicas: 1, tp: 6 }\n    decode: { replicas: 1 }\n");
            Assert.That(e.Field, Is.EqualTo("cluster.disaggregation.prefill.tp"));
        }

        [Test]
        public void ReplicasAreBounded()
        {
            SimInputException e = Refused("parallelism: { tp: 2 }\ncluster: { replicas: 100000000 }\n");
            Assert.That(e.Field, Is.EqualTo("cluster.replicas"));
            Assert.That(e.Problem, Does.StartWith("100000000 replicas is more than the 16384"));
            Assert.That(Loaded("parallelism: { tp: 2 }\ncluster: { replicas: 16384 }\nkv: { capacity_tokens: 1600 }\n").Replicas, Is.EqualTo(16384));
        }

        [Test]
        public void KvPagesOverAllReplicasAreBounded()
        {
            // 3 replicas x 20,000,000 one-token pages = 60,000,000 > 2^25 = 33,554,432.
            SimInputException e = Refused("parallelism: { tp: 2 }\ncluster: { replicas: 3 }\nkv: { block_tokens: 1, capacity_tokens: 20000000 }\n");
            Assert.That(e.Field, Is.EqualTo("kv.capacity_tokens"));
            Assert.That(e.Problem, Does.StartWith("60000000 KV pages of 1 tokens over 3 replicas is more than the 33554432"));
            // One replica of them fits: 20,000,000 pages.
            Assert.That(Loaded("parallelism: { tp: 2 }\nkv: { block_tokens: 1, capacity_tokens: 20000000 }\n").Replicas, Is.EqualTo(1));
        }
    }
}
