using System.Collections.Generic;
using NUnit.Framework;
using Sim.Core.Metrics;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Core.Tests.Support;
using Sim.Core.Tokens;
using Sim.Core.Tokens.Policies;
using Sim.Core.Trace;

namespace Sim.Core.Tests.Pipeline
{
    /// <summary>Token mode through whole runs, with every page and request invariant checked each iteration.</summary>
    public class TokenModeTests
    {
        static List<TraceRequest> Requests(int count, int prompt, int output)
        {
            var requests = new List<TraceRequest>();
            for (int i = 0; i < count; i++) requests.Add(TestScenes.Request(i, i * 0.01, prompt, output));
            return requests;
        }

        static Simulation Run(Scene scene, List<TraceRequest> requests)
        {
            var simulation = new Simulation(scene, requests, requests.Count, "test", perfModel: new LinearPerfModel(0.010, 0.001));
            simulation.Run();
            return simulation;
        }

        [Test]
        public void WithAFullCacheTokenModeTimesEveryRequestAsPageModeDoes()
        {
            List<TraceRequest> requests = Requests(30, 300, 40);
            Scene pages = TestScenes.Small(kvCapacityTokens: 4096);
            Scene tokens = TestScenes.Small(kvCapacityTokens: 4096);
            tokens.TokenLevel = true;
            RequestLog a = Run(pages, requests).Log, b = Run(tokens, requests).Log;
            for (int i = 0; i < requests.Count; i++)
                Assert.That((b[i].FirstTokenS, b[i].FinishS, b[i].Preemptions), Is.EqualTo((a[i].FirstTokenS, a[i].FinishS, a[i].Preemptions)), "request " + i);
        }

        [Test]
        public void CompressionLetsMoreSequencesShareTheKvCache()
        {
            // 40 requests of 1,000 + 200 tokens against 4,096 tokens of KV: a full cache runs about three at a time;
            // a 256-token window frees each sequence's older pages, so far more share the cache and the run ends sooner.
            List<TraceRequest> requests = Requests(40, 1000, 200);
            Scene full = TestScenes.Small(kvCapacityTokens: 4096);
            full.TokenLevel = true;
            Scene window = TestScenes.Small(kvCapacityTokens: 4096);
            window.TokenLevel = true;
            window.Compression = new KvCompression { Policy = CompressionPolicy.Window, BudgetTokens = 256 };
            RunSummary a = SummaryBuilder.Build(Run(full, requests), "cpu", 0), b = SummaryBuilder.Build(Run(window, requests), "cpu", 0);
            Assert.That(a.KvCompression!.MemorySavedFraction, Is.EqualTo(0));
            Assert.That(b.KvCompression!.MemorySavedFraction, Is.GreaterThan(0.5));
            Assert.That(b.KvCompression.MeanBatchSequences, Is.GreaterThan(2 * a.KvCompression.MeanBatchSequences));
            Assert.That(b.MakespanS, Is.LessThan(a.MakespanS));
            Assert.That(b.KvCompression.AttentionMassRetainedMean, Is.LessThan(1));
            Assert.That(a.KvCompression.AttentionMassRetainedMean, Is.EqualTo(1).Within(1e-5));
        }

        [TestCase("window")]
        [TestCase("streaming")]
        [TestCase("h2o")]
        [TestCase("snapkv")]
        [TestCase("lazy")]
        [TestCase("cake")]
        [TestCase("mikv")]
        public void EveryPolicyKeepsPageAndRequestInvariantsThroughACrowdedRun(string policy)
        {
            // Preemptions, page freeing and (mikv) packed pages under a tight KV cache, every invariant checked each iteration.
            Scene scene = TestScenes.Small(kvCapacityTokens: 2048);
            scene.TokenLevel = true;
            scene.Compression = new KvCompression { Policy = CompressionPolicies.Parse(policy), BudgetTokens = 200, RecentTokens = 32 };
            if (policy == "cake") scene.Attention = new AttentionModel { Layers = 4 };
            RunSummary summary = SummaryBuilder.Build(Run(scene, Requests(25, 600, 120)), "cpu", 0);
            Assert.That(summary.RequestsCompleted, Is.EqualTo(25));
            Assert.That(summary.KvCompression!.TokensEvicted, Is.GreaterThan(0));
            Assert.That(summary.KvCompression.Policy, Is.EqualTo(policy));
        }
    }
}
