using System.Collections.Generic;
using NUnit.Framework;
using Sim.Core.Metrics;
using Sim.Core.PerfModel;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Core.Tests.Support;
using Sim.Core.Trace;

namespace Sim.Core.Tests.Pipeline
{
    /// <summary>Whole runs on tiny traces whose timelines are worked out by hand in the comments.</summary>
    public class SimulationTimelineTests
    {
        const double Tolerance = 1e-12;

        static Simulation Run(Scene scene, List<TraceRequest> requests, IPerfModel perfModel)
        {
            var simulation = new Simulation(scene, requests, requests.Count, "test", perfModel: perfModel);
            simulation.Run();
            return simulation;
        }

        [Test]
        public void SingleRequestOnIdleReplica_TtftIsPrefillAndEachDecodeOneStep()
        {
            // Cost = 10 ms + 1 ms per token. Prompt 100, output 5, arriving at t = 1 s:
            // prefill 100 tokens = 0.110 s -> first token at 1.110; then 4 decodes of 0.011 s each.
            var model = new LinearPerfModel(0.010, 0.001);
            Simulation sim = Run(TestScenes.Small(), TestScenes.Requests(TestScenes.Request(0, 1.0, 100, 5)), model);
            RequestRecord r = sim.Log[0];
            Assert.That(r.Outcome, Is.EqualTo(RequestOutcome.Completed));
            Assert.That(r.QueueS, Is.EqualTo(0).Within(Tolerance));
            Assert.That(r.TtftS, Is.EqualTo(0.110).Within(Tolerance));
            Assert.That(r.E2eS, Is.EqualTo(0.110 + 4 * 0.011).Within(Tolerance));
            Assert.That(r.MaxTbtS, Is.EqualTo(0.011).Within(Tolerance));
            Assert.That(sim.Log.TokenGapsS().Count, Is.EqualTo(4));
            Assert.That(sim.TotalIterations, Is.EqualTo(5));
        }

        [Test]
        public void SingleRequestWithRoofline_E2eIsPrefillPlusDecodeSteps()
        {
            Scene scene = TestScenes.Small();
            var roofline = new RooflinePerfModel(scene.Model, scene.Hardware, new Parallelism(), RooflineEfficiency.Default, 0.002);
            Simulation sim = Run(scene, TestScenes.Requests(TestScenes.Request(0, 0, 300, 4)), roofline);
            double prefillS = roofline.IterationTimeS(new[] { new SequenceWork(300, 0) });
            double decodesS = 0;
            for (int context = 300; context < 303; context++)
                decodesS += roofline.IterationTimeS(new[] { new SequenceWork(1, context) });
            Assert.That(sim.Log[0].TtftS, Is.EqualTo(prefillS).Within(1e-12));
            Assert.That(sim.Log[0].E2eS, Is.EqualTo(prefillS + decodesS).Within(1e-12));
        }

        [Test]
        public void TwoRequestsContendingForPages_NewestIsPreemptedAndRecomputesAfterTheOldestFinishes()
        {
            // 3 pages of 16 tokens. A and B (prompt 16, output 20) arrive together.
            // it1: both prefill (32 tokens, 1 page each) -> token 1 of each at d1 = a + 32b.
            // it2: A's decode needs a 2nd page (the last free one); B's then finds none and B, the newest,
            //      preempts itself: its page is freed and it rejoins the waiting queue.
            // A then decodes alone (B's recompute needs 2 pages for 17 tokens; at most 1 is free) and
            // finishes after 19 decodes: tA = d1 + 19(a + b). B recomputes 17 tokens (emitting token 2)
            // and decodes 18 more: tB = tA + (a + 17b) + 18(a + b).
            const double a = 0.010, b = 0.001;
            Scene scene = TestScenes.Small(kvCapacityTokens: 48);
            Simulation sim = Run(scene, TestScenes.Requests(TestScenes.Request(0, 0, 16, 20), TestScenes.Request(1, 0, 16, 20)), new LinearPerfModel(a, b));
            double d1 = a + 32 * b, tA = d1 + 19 * (a + b), tB = tA + (a + 17 * b) + 18 * (a + b);
            RequestRecord first = sim.Log[0], second = sim.Log[1];
            Assert.That(first.Preemptions, Is.EqualTo(0));
            Assert.That(second.Preemptions, Is.EqualTo(1));
            Assert.That(first.FinishS, Is.EqualTo(tA).Within(Tolerance));
            Assert.That(second.TtftS, Is.EqualTo(d1).Within(Tolerance));
            Assert.That(second.MaxTbtS, Is.EqualTo(tA + a + 17 * b - d1).Within(Tolerance));
            Assert.That(second.FinishS, Is.EqualTo(tB).Within(Tolerance));
            Assert.That(sim.TotalIterations, Is.EqualTo(1 + 19 + 1 + 18));
        }

        [Test]
        public void SwapPreemption_CopiesTheVictimsKvOutAndBackInsteadOfRecomputing()
        {
            // The contention above with scheduler.preemption: swap. B's 16 computed tokens (512 KiB each for
            // Llama-2-7B) go to host at 32 GB/s, delaying it2 by s = 16 x 524288 / 32e9, and come back when A is done,
            // in an iteration that computes only B's next token: tB = tA + (a + b + s) + 18(a + b).
            const double a = 0.010, b = 0.001, s = 16 * 524288 / 32e9;
            Scene scene = TestScenes.Small(kvCapacityTokens: 48);
            scene.SwapPreemption = true;
            scene.SwapSpaceBytes = 1L << 30;
            Simulation sim = Run(scene, TestScenes.Requests(TestScenes.Request(0, 0, 16, 20), TestScenes.Request(1, 0, 16, 20)), new LinearPerfModel(a, b));
            double d1 = a + 32 * b, tA = d1 + (a + b + s) + 18 * (a + b), tB = tA + (a + b + s) + 18 * (a + b);
            RequestRecord first = sim.Log[0], second = sim.Log[1];
            Assert.That(second.Preemptions, Is.EqualTo(1));
            Assert.That(first.FinishS, Is.EqualTo(tA).Within(Tolerance));
            Assert.That(second.FinishS, Is.EqualTo(tB).Within(Tolerance));
        }

        [Test]
        public void SwapPreemption_FallsBackToRecomputeWhenHostSwapSpaceIsFull()
        {
            // Room for 15 tokens, B has 16: the timeline is the recompute one.
            const double a = 0.010, b = 0.001;
            Scene scene = TestScenes.Small(kvCapacityTokens: 48);
            scene.SwapPreemption = true;
            scene.SwapSpaceBytes = 15 * 524288;
            Simulation sim = Run(scene, TestScenes.Requests(TestScenes.Request(0, 0, 16, 20), TestScenes.Request(1, 0, 16, 20)), new LinearPerfModel(a, b));
            double d1 = a + 32 * b, tA = d1 + 19 * (a + b), tB = tA + (a + 17 * b) + 18 * (a + b);
            Assert.That(sim.Log[1].FinishS, Is.EqualTo(tB).Within(Tolerance));
        }

        [Test]
        public void SaturatingArrivals_QueueDelayGrowsByServiceMinusGap()
        {
            // One request at a time (max_num_seqs 1), each a 10-token prompt and a 1-token output:
            // service s = a + 10b = 0.020 s; arrivals every g = 0.015 s. Request i starts when i-1 ends,
            // so its queueing delay is i(s - g) = 0.005 i.
            Scene scene = TestScenes.Small();
            scene.MaxNumSeqs = 1;
            var requests = new List<TraceRequest>();
            for (int i = 0; i < 50; i++) requests.Add(TestScenes.Request(i, 0.015 * i, 10, 1));
            Simulation sim = Run(scene, requests, new LinearPerfModel(0.010, 0.001));
            for (int i = 0; i < 50; i++)
                Assert.That(sim.Log[i].QueueS, Is.EqualTo(0.005 * i).Within(1e-9), "request " + i);
        }

        [Test]
        public void RequestsBeyondTheContextAreRejectedOrTruncated()
        {
            // Llama-2-7B has a 4,096-token context: 4,000 + 200 does not fit, 3,000 + 200 does.
            List<TraceRequest> requests = TestScenes.Requests(TestScenes.Request(0, 0, 4000, 200), TestScenes.Request(1, 0, 3000, 200));
            Simulation rejected = Run(TestScenes.Small(), requests, new LinearPerfModel(0.01, 0.0001));
            Assert.That(rejected.Log.Rejected, Is.EqualTo(1));
            Assert.That(rejected.Log[0].Outcome, Is.EqualTo(RequestOutcome.Rejected));
            Assert.That(rejected.Log[1].Outcome, Is.EqualTo(RequestOutcome.Completed));

            // Truncation as vLLM: the 4,000-token prompt is kept and its output stops at the context, 96 tokens;
            // prompts of 4,096 and 5,000 tokens leave no room for one output token and are refused.
            Scene truncating = TestScenes.Small();
            truncating.Oversize = OversizePolicy.Truncate;
            requests.Add(TestScenes.Request(2, 0, 4096, 10));
            requests.Add(TestScenes.Request(3, 0, 5000, 10));
            Simulation truncated = Run(truncating, requests, new LinearPerfModel(0.01, 0.0001));
            Assert.That(truncated.Log.Rejected, Is.EqualTo(2));
            Assert.That(truncated.Log[0].Outcome, Is.EqualTo(RequestOutcome.Completed));
            Assert.That(truncated.Log[0].PromptTokens, Is.EqualTo(4000));
            Assert.That(truncated.Log[0].OutputTokens, Is.EqualTo(96));
            Assert.That(truncated.Log[1].OutputTokens, Is.EqualTo(200), "a request that fits is not touched");
            Assert.That(truncated.Log[2].Outcome, Is.EqualTo(RequestOutcome.Rejected));
            Assert.That(truncated.Log[3].Outcome, Is.EqualTo(RequestOutcome.Rejected));
        }

        [Test]
        public void OversizeErrorNamesTheTraceLine()
        {
            Scene scene = TestScenes.Small();
            scene.Oversize = OversizePolicy.Error;
            TraceRequest big = TestScenes.Request(0, 0, 5000, 10);
            big.SourceLine = 7;
            var e = Assert.Throws<SimInputException>(() => Run(scene, TestScenes.Requests(big), new LinearPerfModel(0.01, 0.0001)));
            Assert.That(e!.File, Is.EqualTo("test"));
            Assert.That(e.Line, Is.EqualTo(7));
        }

        [Test]
        public void RoundRobinSpreadsRequestsOverReplicas()
        {
            Scene scene = TestScenes.Small();
            scene.Replicas = 3;
            var requests = new List<TraceRequest>();
            for (int i = 0; i < 7; i++) requests.Add(TestScenes.Request(i, 0.001 * i, 50, 3));
            Simulation sim = Run(scene, requests, new LinearPerfModel(0.01, 0.0001));
            for (int i = 0; i < 7; i++) Assert.That(sim.Log[i].Replica, Is.EqualTo(i % 3));
        }
    }
}
