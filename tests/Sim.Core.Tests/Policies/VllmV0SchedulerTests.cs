using System.Collections.Generic;
using NUnit.Framework;
using Sim.Core.Metrics;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Core.Tests.Support;
using Sim.Core.Trace;

namespace Sim.Core.Tests.Policies
{
    /// <summary>vLLM v0's rules, one timeline worked out by hand for each; cost 10 ms + 1 ms a token, invariants checked.</summary>
    public class VllmV0SchedulerTests
    {
        const double Tolerance = 1e-9;

        static Simulation Run(string policy, int maxNumSeqs, long? kvCapacityTokens, int maxBatchTokens, double watermark, params TraceRequest[] requests)
        {
            Scene scene = TestScenes.Small(kvCapacityTokens);
            scene.SchedulerPolicy = policy;
            scene.MaxNumSeqs = maxNumSeqs;
            scene.MaxBatchTokens = maxBatchTokens;
            scene.ChunkTokens = 16;
            scene.KvWatermark = watermark;
            var simulation = new Simulation(scene, new List<TraceRequest>(requests), requests.Length, "test", perfModel: new LinearPerfModel(0.010, 0.001));
            simulation.Run();
            return simulation;
        }

        [Test]
        public void APromptRunsBeforeTheDecodesItArrivesAmong()
        {
            // A (10, 3) at 0: prefill 0..0.020. B (10, 2) arrives at 0.015. it2 is B's prompt alone (0.020..0.040, TTFT
            // 0.025); it3 decodes both (0.012): A's 2nd and B's last token at 0.052; it4 A alone (0.011): done 0.063.
            // A's largest gap (0.020 -> 0.052) is the stall a prompt-first iteration costs.
            RequestLog log = Run("vllm-v0", 128, null, 4096, 0, TestScenes.Request(0, 0, 10, 3), TestScenes.Request(1, 0.015, 10, 2)).Log;
            Assert.That(log[1].TtftS, Is.EqualTo(0.025).Within(Tolerance));
            Assert.That(log[1].FinishS, Is.EqualTo(0.052).Within(Tolerance));
            Assert.That(log[0].MaxTbtS, Is.EqualTo(0.032).Within(Tolerance));
            Assert.That(log[0].FinishS, Is.EqualTo(0.063).Within(Tolerance));
        }

        [Test]
        public void ThePromptBudgetCountsRequestsTimesTheLongestPrompt()
        {
            // Budget 100: A (60) fits, A + B (30) is 90 tokens but 2 x 60 = 120 padded, so B waits: A alone 0.070, B 0.040.
            // The v1-style policy puts both in one 90-token iteration (0.100).
            TraceRequest a = TestScenes.Request(0, 0, 60, 1), b = TestScenes.Request(1, 0, 30, 1);
            RequestLog v0 = Run("vllm-v0", 128, null, 100, 0, a, b).Log;
            Assert.That(v0[0].FinishS, Is.EqualTo(0.070).Within(Tolerance));
            Assert.That(v0[1].FirstScheduledS, Is.EqualTo(0.070).Within(Tolerance));
            Assert.That(v0[1].FinishS, Is.EqualTo(0.110).Within(Tolerance));
            RequestLog v1 = Run("vllm", 128, null, 100, 0, a, b).Log;
            Assert.That(v1[1].FinishS, Is.EqualTo(0.100).Within(Tolerance));
        }

        [Test]
        public void MaxNumSeqsCountsRunningRequests()
        {
            // At most two running: A and B prefill (0.030); C waits through their decodes (0.012, both done at 0.042),
            // then prefills (0.020) and decodes (0.011): done at 0.073.
            RequestLog log = Run("vllm-v0", 2, null, 4096, 0,
                TestScenes.Request(0, 0, 10, 2), TestScenes.Request(1, 0, 10, 2), TestScenes.Request(2, 0, 10, 2)).Log;
            Assert.That(log[0].FinishS, Is.EqualTo(0.042).Within(Tolerance));
            Assert.That(log[2].FirstScheduledS, Is.EqualTo(0.042).Within(Tolerance));
            Assert.That(log[2].FinishS, Is.EqualTo(0.073).Within(Tolerance));
        }

        [Test]
        public void ADecodeWithoutAFreePagePreemptsTheLatestArrivalByRecompute()
        {
            // 3 pages of 16. A and B (16, 20) prefill together (32 tokens, 0.042), one page each; first tokens at 0.042.
            // it2: A's decode needs a 2nd page and takes the last free one; B then finds no free page and, being the latest
            // arrival, is preempted. A decodes alone (19 x 0.011, done 0.251; its 3rd page comes from B's). B's 17 tokens
            // (prompt + its first output) need 2 pages: it waits until A is done, recomputes them (0.027, 2nd token
            // at 0.278), then decodes 18 more: done at 0.476. One preemption, of one request.
            Simulation simulation = Run("vllm-v0", 128, 48, 4096, 0, TestScenes.Request(0, 0, 16, 20), TestScenes.Request(1, 0, 16, 20));
            RequestLog log = simulation.Log;
            Assert.That(log[0].FinishS, Is.EqualTo(0.251).Within(Tolerance));
            Assert.That(log[0].Preemptions, Is.EqualTo(0));
            Assert.That(log[1].TtftS, Is.EqualTo(0.042).Within(Tolerance));
            Assert.That(log[1].MaxTbtS, Is.EqualTo(0.236).Within(Tolerance));
            Assert.That(log[1].FinishS, Is.EqualTo(0.476).Within(Tolerance));
            RunSummary summary = SummaryBuilder.Build(simulation, "cpu", 0);
            Assert.That(summary.Preemptions, Is.EqualTo(1));
            Assert.That(summary.PreemptedRequests, Is.EqualTo(1));
        }

        [Test]
        public void PreemptionsCountEventsAndPreemptedRequestsCountRequests()
        {
            // 4 pages of 16, no watermark. A and B (16, 40) prefill together, then both decode into a 2nd page (none free).
            // From then on, every decode iteration finds no free page, so B (the later) is preempted; the next iteration
            // readmits it (its 16 + g tokens fit the 2 pages it gave back) and recomputes them, gaining a token. A's decodes
            // take its computed tokens from 17 to 32 across those 16 decode iterations; the 16th gives A its 3rd page, and
            // B (now 33 tokens, 3 pages) waits for A to finish. Sixteen preemptions, all of one request.
            Simulation simulation = Run("vllm-v0", 128, 64, 4096, 0, TestScenes.Request(0, 0, 16, 40), TestScenes.Request(1, 0, 16, 40));
            Assert.That(simulation.Log[0].Preemptions, Is.EqualTo(0));
            Assert.That(simulation.Log[1].Preemptions, Is.EqualTo(16));
            RunSummary summary = SummaryBuilder.Build(simulation, "cpu", 0);
            Assert.That(summary.Preemptions, Is.EqualTo(16));
            Assert.That(summary.PreemptedRequests, Is.EqualTo(1));
        }

        [Test]
        public void AdmissionLeavesTheWatermarkFree()
        {
            // 100 pages of 16, watermark 0.1 = 10 pages. A (800 tokens, 50 pages) is admitted; B (656, 41 pages) would
            // leave 9 free, so it waits until A is done: A 0.810 + one decode 0.011 = 0.821; B then 0.666: first token 1.487.
            // Without a watermark both prefill at once (1,456 tokens, 1.466).
            TraceRequest a = TestScenes.Request(0, 0, 800, 2), b = TestScenes.Request(1, 0, 656, 2);
            RequestLog kept = Run("vllm-v0", 128, 1600, 4096, 0.1, a, b).Log;
            Assert.That(kept[1].FirstScheduledS, Is.EqualTo(0.821).Within(Tolerance));
            Assert.That(kept[1].TtftS, Is.EqualTo(1.487).Within(Tolerance));
            RequestLog none = Run("vllm-v0", 128, 1600, 4096, 0, a, b).Log;
            Assert.That(none[1].TtftS, Is.EqualTo(1.466).Within(Tolerance));
        }

        [Test]
        public void SarathiReservesAWholePromptAtAdmission()
        {
            // 4 pages of 16, chunks of 16. A (40, 2) is admitted with 3 pages for its whole prompt and computed 16 + 16 + 8
            // (0.026, 0.026, 0.018: first token 0.070). B (30, 2 pages) finds one free page, so it waits through A's
            // decode (0.011, A done 0.081), then runs 16 + 14 (0.026, 0.024: first token 0.131) and one decode: 0.142.
            RequestLog log = Run("sarathi", 128, 64, 4096, 0, TestScenes.Request(0, 0, 40, 2), TestScenes.Request(1, 0, 30, 2)).Log;
            Assert.That(log[0].TtftS, Is.EqualTo(0.070).Within(Tolerance));
            Assert.That(log[0].FinishS, Is.EqualTo(0.081).Within(Tolerance));
            Assert.That(log[1].FirstScheduledS, Is.EqualTo(0.081).Within(Tolerance));
            Assert.That(log[1].FinishS, Is.EqualTo(0.142).Within(Tolerance));
        }
    }
}
