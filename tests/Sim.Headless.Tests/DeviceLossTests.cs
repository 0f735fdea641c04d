using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sim.Core.Compute;
using Sim.Core.Kv;
using Sim.Core.Scenes;
using Sim.Core.Tokens;
using Sim.Core.Tokens.Policies;
using Sim.Headless.Commands;
using Sim.Vulkan;

namespace Sim.Headless.Tests
{
    public class DeviceLossTests
    {
        /// <summary>The CPU reference until the routing kernel's <c>failOnCall</c>-th call, which reports a lost device.</summary>
        sealed class FailingBackend : IComputeBackend
        {
            readonly int _failOnCall;
            int _routeCalls;

            public FailingBackend(int failOnCall) => _failOnCall = failOnCall;

            public string Name => "failing";

            public int BestReplica(ReadOnlySpan<ReplicaScore> replicas) =>
                ++_routeCalls == _failOnCall ? throw new VulkanDeviceLostException("vkWaitForFences") : CpuBackend.Instance.BestReplica(replicas);

            public void ScoreEviction(EvictionPolicy policy, ReadOnlySpan<BlockUsage> blocks, double inflationScore, Span<double> scores) =>
                CpuBackend.Instance.ScoreEviction(policy, blocks, inflationScore, scores);

            public void SelectLowest(ReadOnlySpan<float> keys, Span<int> lowest) => CpuBackend.Instance.SelectLowest(keys, lowest);

            public void TokenKeys(CompressionPolicy policy, in TokenKeyArguments arguments, ReadOnlySpan<int> positions, ReadOnlySpan<float> scores,
                ReadOnlySpan<int> lastImportantSteps, ReadOnlySpan<int> maxRecurrenceIntervals, Span<float> keys) =>
                CpuBackend.Instance.TokenKeys(policy, arguments, positions, scores, lastImportantSteps, maxRecurrenceIntervals, keys);

            public void AttentionProbabilities(ReadOnlySpan<float> keys, int count, ReadOnlySpan<float> query, float recencyDecayPerToken, Span<float> probabilities) =>
                CpuBackend.Instance.AttentionProbabilities(keys, count, query, recencyDecayPerToken, probabilities);

            public void GateTopK(ReadOnlySpan<float> logits, int tokens, int experts, int topK, Span<int> chosenExperts, Span<int> expertLoad) =>
                CpuBackend.Instance.GateTopK(logits, tokens, experts, topK, chosenExperts, expertLoad);
        }

        string _dir = "";

        [SetUp]
        public void MakeFolder()
        {
            _dir = Path.Combine(TestContext.CurrentContext.TestDirectory, "device-loss-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
        }

        [TearDown]
        public void RemoveFolder() => Directory.Delete(_dir, true);

        Scene WriteScene(int requests)
        {
            var trace = new StringBuilder("TIMESTAMP,ContextTokens,GeneratedTokens\n");
            var start = new DateTime(2023, 11, 16, 18, 0, 0);
            for (int i = 0; i < requests; i++)
                trace.Append(start.AddMilliseconds(50 * i).ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture)).Append(",300,20\n");
            File.WriteAllText(Path.Combine(_dir, "trace.csv"), trace.ToString());
            string scene = Path.Combine(_dir, "scene.yaml");
            File.WriteAllText(scene, "name: t\nmodel: llama-2-7b\nhardware: a100-80g\ncluster: { replicas: 2, router: least-loaded }\nworkload:\n  trace: trace.csv\n");
            return SceneLoader.Load(scene, Array.Empty<string>());
        }

        [Test]
        public void ADeviceLostMidRunLeavesNoOutputs()
        {
            Scene scene = WriteScene(200);
            string outDir = Path.Combine(_dir, "out");
            // Every arrival is routed through the backend: the 100th of 200 fails half-way through the replay.
            Assert.Throws<VulkanDeviceLostException>(() => RunCommand.Replay(scene, SceneWorkload.Open(scene), new FailingBackend(100), outDir, TextWriter.Null));
            Assert.That(Directory.Exists(outDir), Is.False, "not even the folder the run would have made");
        }

        [Test]
        public void TheSameReplayWithoutTheFailureWritesAllThree()
        {
            Scene scene = WriteScene(200);
            string outDir = Path.Combine(_dir, "out");
            RunCommand.Replay(scene, SceneWorkload.Open(scene), new FailingBackend(int.MaxValue), outDir, TextWriter.Null);
            Assert.That(Directory.GetFiles(outDir), Has.Length.EqualTo(3));
        }

        [Test]
        public void AutoWithoutADiscreteGpuRunsOnTheCpuAndSpeaksOnlyWhereKernelsRunAtScale()
        {
            if (Sim.Vulkan.VulkanProbe.Probe().Devices.Any(d => d.Kind == Sim.Vulkan.VulkanDeviceKind.DiscreteGpu))
                Assert.Ignore("this machine has a discrete GPU; auto opens it");
            var notices = new StringWriter();
            IComputeBackend backend = BackendChoice.Resolve("auto", new RunSizes(64.0 * 2128 * 8, 0), notices);
            Assert.That(backend, Is.SameAs(CpuBackend.Instance));
            Assert.That(notices.ToString(), Does.StartWith("backend auto: cpu (1.1e6 resident tokens a step; ").And.EndWith(")" + Environment.NewLine));
            Assert.That(notices.ToString().Split('\n'), Has.Length.EqualTo(2), "one line");
            var quiet = new StringWriter();
            BackendChoice.Resolve("cpu", new RunSizes(1e6, 0), quiet);
            BackendChoice.Resolve("auto", new RunSizes(0, 0), quiet);
            Assert.That(quiet.ToString(), Is.Empty);
        }
    }
}
