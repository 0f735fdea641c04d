using System.Collections.Generic;
using NUnit.Framework;
using Sim.Core.Metrics;
using Sim.Core.PerfModel;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Core.Speculative;
using Sim.Core.Tests.Support;
using Sim.Core.Trace;

namespace Sim.Core.Tests.Pipeline
{
    /// <summary>Speculative decoding on one request whose timeline is worked out by hand (cost 10 ms + 1 ms per verified position).</summary>
    public class SpeculativeDecodingTests
    {
        const double Tolerance = 1e-12;
        const double A = 0.010, B = 0.001;

        static Simulation Run(SpeculativeDecoding speculative, int outputTokens)
        {
            Scene scene = TestScenes.Small();
            scene.Speculative = speculative;
            List<TraceRequest> requests = TestScenes.Requests(TestScenes.Request(0, 0, 100, outputTokens));
            var simulation = new Simulation(scene, requests, requests.Count, "test", perfModel: new LinearPerfModel(A, B));
            simulation.Run();
            return simulation;
        }

        static SpeculativeStats Stats(Simulation simulation) => simulation.Cluster.Replicas[0].Speculative!.Stats;

        [Test]
        public void AcceptanceOneGivesKPlusOneTokensAStep()
        {
            // Prompt 100, output 10, k = 2, n-gram drafts (free). Prefill: 0.110 s, token 1. Then each step drafts 2
            // (the 8, 5, 2 tokens still wanted after its own allow it), verifies 3 positions in 0.013 s and keeps all:
            // tokens 2-4, 5-7, 8-10. Each of the 9 later tokens waits 0.013 / 3 s.
            Simulation sim = Run(new SpeculativeDecoding { K = 2, Acceptance = new[] { 1.0 } }, 10);
            RequestRecord r = sim.Log[0];
            Assert.That(r.TtftS, Is.EqualTo(0.110).Within(Tolerance));
            Assert.That(r.E2eS, Is.EqualTo(0.110 + 3 * (A + 3 * B)).Within(Tolerance));
            Assert.That(r.MaxTbtS, Is.EqualTo((A + 3 * B) / 3).Within(Tolerance));
            Assert.That(sim.Log.TokenGapsS().Count, Is.EqualTo(9));
            Assert.That(sim.TotalIterations, Is.EqualTo(4));
            Assert.That((Stats(sim).VerifySteps, Stats(sim).DraftedTokens, Stats(sim).AcceptedTokens), Is.EqualTo((3L, 6L, 6L)));
        }

        [Test]
        public void AcceptanceZeroGivesOneTokenAStepAtTheVerifyPrice()
        {
            // Every step still drafts 2 (fewer near the end: 1 when 2 tokens remain, none for the last) and pays for
            // its verified positions, but keeps only the target's token: 9 steps of 3, ..., 3, 2, 1 positions.
            Simulation sim = Run(new SpeculativeDecoding { K = 2, Acceptance = new[] { 0.0 } }, 10);
            RequestRecord r = sim.Log[0];
            double decodesS = 7 * (A + 3 * B) + (A + 2 * B) + (A + B);
            Assert.That(r.E2eS, Is.EqualTo(0.110 + decodesS).Within(Tolerance));
            Assert.That(r.MaxTbtS, Is.EqualTo(A + 3 * B).Within(Tolerance));
            Assert.That(sim.TotalIterations, Is.EqualTo(10));
            Assert.That((Stats(sim).VerifySteps, Stats(sim).DraftedTokens, Stats(sim).AcceptedTokens), Is.EqualTo((8L, 15L, 0L)));
        }

        [Test]
        public void AcceptedLengthsFollowThePerPositionRates()
        {
            // k = 4 at 0.6: accepted drafts a step has mean 0.6 + 0.36 + 0.216 + 0.1296 = 1.3056 (2.3056 tokens), standard
            // deviation about 1.3. Ten requests of 3,000 tokens take about 13,000 steps: the mean's deviation is
            // about 0.011; 4 of them either side.
            Scene scene = TestScenes.Small();
            scene.Speculative = new SpeculativeDecoding { K = 4, Acceptance = new[] { 0.6 } };
            var requests = new List<TraceRequest>();
            for (int i = 0; i < 10; i++) requests.Add(TestScenes.Request(i, 0, 100, 3000));
            var sim = new Simulation(scene, requests, requests.Count, "test", perfModel: new LinearPerfModel(A, B));
            sim.Run();
            SpeculativeStats stats = Stats(sim);
            Assert.That(stats.VerifySteps, Is.GreaterThan(12000));
            Assert.That((double)stats.AcceptedTokens / stats.VerifySteps, Is.EqualTo(1.3056).Within(0.045));
            Assert.That(sim.Log.EmittedTokens, Is.EqualTo(30000));
        }

        sealed class PagesPerIteration : IIterationSink
        {
            public readonly List<int> UsedPages = new List<int>();

            public void OnIteration(in IterationRecord iteration) => UsedPages.Add(iteration.KvUsedPages);
        }

        [Test]
        public void RejectedDraftsGiveTheirPagesBack()
        {
            // 16-token pages, prompt 100, k = 8, nothing accepted. Decode iteration j is scheduled with 100 + j - 1
            // tokens computed and reserves one more: ceil((100 + j) / 16) pages. Its drafts then reach past the next
            // page boundary from j = 5 on (105 + 8 = 113 tokens, 8 pages); kept, they would still be held when
            // iteration 6 is scheduled (8 pages where 106 tokens need 7).
            Scene scene = TestScenes.Small();
            scene.Speculative = new SpeculativeDecoding { K = 8, Acceptance = new[] { 0.0 } };
            var sink = new PagesPerIteration();
            List<TraceRequest> requests = TestScenes.Requests(TestScenes.Request(0, 0, 100, 20));
            var sim = new Simulation(scene, requests, 1, "test", sink, new LinearPerfModel(A, B));
            sim.Run();
            Assert.That(sink.UsedPages.Count, Is.EqualTo(20));
            for (int j = 1; j < 20; j++)
                Assert.That(sink.UsedPages[j], Is.EqualTo((100 + j + 15) / 16), "iteration " + j);
            Assert.That(sim.Cluster.Replicas[0].Kv.UsedPages, Is.EqualTo(0));
        }

        [Test]
        public void ADraftModelAddsItsStepsBeforeEachVerify()
        {
            // Llama-2-7B drafting for itself on the same A100 (roofline, 2 ms overhead a step): each verify step of k = 2
            // at context c is preceded by draft steps at contexts c and c + 1.
            Scene scene = TestScenes.Small();
            scene.IterationOverheadS = 0.002;
            var draft = new RooflinePerfModel(scene.Model, scene.Hardware, new Parallelism { Tp = 1, Pp = 1 }, scene.Hardware.Efficiency, 0.002);
            scene.Speculative = new SpeculativeDecoding { Draft = "llama-2-7b", DraftModel = scene.Model, K = 2, Acceptance = new[] { 1.0 } };
            List<TraceRequest> requests = TestScenes.Requests(TestScenes.Request(0, 0, 100, 7));
            var sim = new Simulation(scene, requests, 1, "test", perfModel: new LinearPerfModel(A, B));
            sim.Run();
            double expected = 0.110;
            foreach (int context in new[] { 100, 103 })
                expected += A + 3 * B + draft.IterationTimeS(new[] { new SequenceWork(1, context) }) + draft.IterationTimeS(new[] { new SequenceWork(1, context + 1) });
            Assert.That(sim.Log[0].E2eS, Is.EqualTo(expected).Within(1e-9));
            SpeculativeStats stats = Stats(sim);
            Assert.That(stats.DraftS + stats.VerifyS, Is.EqualTo(expected - 0.110).Within(1e-9));
        }

        [Test]
        public void SpecDecPlusPlusStopsWhereARejectionBecomesTooLikely()
        {
            // At 0.8 a position, P(some draft rejected) after i drafts is 1 - 0.8^i: 0.2, 0.36, 0.488, 0.590, 0.672, 0.738.
            var adaptive = new SpeculativeDecoding { K = 8, Acceptance = new[] { 0.8 }, AdaptiveThreshold = 0.7 };
            Assert.That(adaptive.DraftLength(), Is.EqualTo(6), "the sixth draft crosses 0.7 and is the last verified");
            adaptive.AdaptiveThreshold = 0.5;
            Assert.That(adaptive.DraftLength(), Is.EqualTo(4));
            adaptive.K = 3;
            Assert.That(adaptive.DraftLength(), Is.EqualTo(3), "never more than k");
        }
    }
}
