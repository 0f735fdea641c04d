using System.Collections.Generic;
using NUnit.Framework;
using Sim.Core.Metrics;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Core.Tests.Support;
using Sim.Core.Trace;

namespace Sim.Core.Tests.Policies
{
    /// <summary>Timelines worked out by hand for each scheduling policy; cost 10 ms + 1 ms a token, invariants checked.</summary>
    public class SchedulerPolicyTests
    {
        const double Tolerance = 1e-12;

        static RequestLog Run(string policy, int maxNumSeqs, long? kvCapacityTokens, params TraceRequest[] requests) =>
            Run(policy, maxNumSeqs, kvCapacityTokens, 4096, requests);

        static RequestLog Run(string policy, int maxNumSeqs, long? kvCapacityTokens, int maxBatchTokens, params TraceRequest[] requests) =>
            Run(policy, maxNumSeqs, kvCapacityTokens, maxBatchTokens, 512, requests);

        static RequestLog Run(string policy, int maxNumSeqs, long? kvCapacityTokens, int maxBatchTokens, int chunkTokens, params TraceRequest[] requests)
        {
            Scene scene = TestScenes.Small(kvCapacityTokens);
            scene.SchedulerPolicy = policy;
            scene.MaxNumSeqs = maxNumSeqs;
            scene.MaxBatchTokens = maxBatchTokens;
            scene.ChunkTokens = chunkTokens;
            var simulation = new Simulation(scene, new List<TraceRequest>(requests), requests.Length, "test", perfModel: new LinearPerfModel(0.010, 0.001));
            simulation.Run();
            return simulation.Log;
        }

        // A (prompt 10, output 3), B (10, 1), C (10, 2), all at t 0, at most two running.
        static RequestLog ThreeRequests(string policy) => Run(policy, 2, null,
            TestScenes.Request(0, 0, 10, 3), TestScenes.Request(1, 0, 10, 1), TestScenes.Request(2, 0, 10, 2));

        [Test]
        public void StaticBatchingWaitsForTheWholeBatchToFinish()
        {
            // it1: A and B prefill (20 tokens, 0.030): B done. it2, it3: A decodes alone (0.011 each): A done at 0.052.
            // Only then C: prefill 0.020 (first token 0.072) and one decode: done at 0.083.
            RequestLog log = ThreeRequests("static");
            Assert.That(log[1].FinishS, Is.EqualTo(0.030).Within(Tolerance));
            Assert.That(log[0].FinishS, Is.EqualTo(0.052).Within(Tolerance));
            Assert.That(log[2].FirstScheduledS, Is.EqualTo(0.052).Within(Tolerance));
            Assert.That(log[2].FinishS, Is.EqualTo(0.083).Within(Tolerance));
        }

        [Test]
        public void OrcaAdmitsBetweenIterations()
        {
            // it1: A and B prefill (0.030), B done. it2: A decodes while C's whole prompt joins (11 tokens, 0.021): 0.051.
            // it3: both decode (0.012): A's third and C's second token at 0.063.
            RequestLog log = ThreeRequests("orca");
            Assert.That(log[2].FirstScheduledS, Is.EqualTo(0.030).Within(Tolerance));
            Assert.That(log[2].TtftS, Is.EqualTo(0.051).Within(Tolerance));
            Assert.That(log[0].FinishS, Is.EqualTo(0.063).Within(Tolerance));
            Assert.That(log[2].FinishS, Is.EqualTo(0.063).Within(Tolerance));
        }

        [Test]
        public void OrcaReservesWholeRequestsSoItQueuesInsteadOfPreempting()
        {
            // 3 pages of 16 tokens; A and B (prompt 16, output 20) each need 16 + 19 = 35 tokens = 3 pages.
            // vLLM admits both and later preempts B (SimulationTimelineTests); Orca admits A alone:
            // A: prefill 0.026, 19 decodes of 0.011 -> 0.235. B then: 0.235 + 0.026 + 19 x 0.011 = 0.470.
            RequestLog log = Run("orca", 128, 48, TestScenes.Request(0, 0, 16, 20), TestScenes.Request(1, 0, 16, 20));
            Assert.That(log[0].FinishS, Is.EqualTo(0.235).Within(Tolerance));
            Assert.That(log[1].QueueS, Is.EqualTo(0.235).Within(Tolerance));
            Assert.That(log[1].FinishS, Is.EqualTo(0.470).Within(Tolerance));
            Assert.That(log[0].Preemptions + log[1].Preemptions, Is.EqualTo(0));
        }

        [Test]
        public void OrcaGivesAPromptLargerThanTheBudgetAnIterationOfItsOwn()
        {
            // Budget 1,000 tokens. it1: A's 200-token prompt (0.210). B (1,500) arrived meanwhile but does not fit
            // beside A's decode (999 left) and is never split: it2 is A's last decode alone (0.221). it3: B alone,
            // over budget because the batch is otherwise empty (1.510 s): done at 1.731.
            RequestLog log = Run("orca", 128, null, 1000, TestScenes.Request(0, 0, 200, 2), TestScenes.Request(1, 0.001, 1500, 1));
            Assert.That(log[0].FinishS, Is.EqualTo(0.221).Within(Tolerance));
            Assert.That(log[1].FirstScheduledS, Is.EqualTo(0.221).Within(Tolerance));
            Assert.That(log[1].FinishS, Is.EqualTo(1.731).Within(1e-9));
        }

        [Test]
        public void SarathiSpreadsALongPromptSoDecodesKeepTheirPace()
        {
            // A (prompt 100, output 10) at t 0, decoding every 0.011 s from 0.110; B (prompt 1,000, output 2) arrives
            // at 0.15, during A's fifth iteration, and joins at 0.154.
            // vllm (budget 4,096): B's whole prompt shares one iteration with A's decode: 1,001 tokens, 1.011 s;
            //   A's largest gap is 1.011 and B's first token comes at 1.165 (TTFT 1.015).
            // sarathi (chunk 100): A's decode and 99 of B's tokens per 0.110 s iteration until A's tenth token at 0.704,
            //   then B's remaining 505 in 100-token chunks: first token at 0.704 + 5 x 0.110 + 0.015 = 1.269
            //   (TTFT 1.119), done after one decode at 1.280. A's largest gap is 0.110.
            TraceRequest a = TestScenes.Request(0, 0, 100, 10), b = TestScenes.Request(1, 0.15, 1000, 2);
            RequestLog vllm = Run("vllm", 128, null, a, b);
            Assert.That(vllm[0].MaxTbtS, Is.EqualTo(1.011).Within(1e-9));
            Assert.That(vllm[1].TtftS, Is.EqualTo(1.015).Within(1e-9));

            RequestLog sarathi = Run("sarathi", 128, null, 4096, 100, a, b);
            Assert.That(sarathi[0].MaxTbtS, Is.EqualTo(0.110).Within(1e-9));
            Assert.That(sarathi[0].FinishS, Is.EqualTo(0.704).Within(1e-9));
            Assert.That(sarathi[1].TtftS, Is.EqualTo(1.119).Within(1e-9));
            Assert.That(sarathi[1].FinishS, Is.EqualTo(1.280).Within(1e-9));
        }

        // Llama-2-7B on an A100 with the roofline model, 2,000 Poisson arrivals at 30/s of 200..3,000-token prompts:
        // more than one replica keeps up with, so long prefills keep landing among decodes.
        static RunSummary Saturating(string policy)
        {
            Scene scene = TestScenes.Small();
            scene.SchedulerPolicy = policy;
            scene.Synthetic = new SyntheticWorkload
            {
                Requests = 2000,
                RatePerS = 30,
                PromptTokens = new LengthDistribution { Kind = LengthKind.Uniform, Min = 200, Max = 3000 },
                OutputTokens = new LengthDistribution { Kind = LengthKind.Uniform, Min = 20, Max = 400 },
            };
            SceneWorkload workload = SceneWorkload.Open(scene);
            var simulation = new Simulation(scene, workload.Requests, workload.Count, workload.SourceName);
            simulation.Run();
            return SummaryBuilder.Build(simulation, "cpu", 0);
        }

        [Test]
        public void OnASaturatingLoadSarathiHasALowerP99TbtThanVllm()
        {
            double vllm = Saturating("vllm").TbtS.P99, sarathi = Saturating("sarathi").TbtS.P99;
            Assert.That(sarathi, Is.LessThan(vllm * 0.75), "sarathi " + sarathi + " s, vllm " + vllm + " s");
        }

        [Test]
        public void OnASaturatingLoadIterationLevelBatchingOutrunsStaticBatching()
        {
            // Static batching admits nothing until its whole batch has finished, so its batches shrink to their longest
            // output; continuous batching keeps every iteration full.
            double staticTokensPerS = Saturating("static").OutputTokensPerS;
            Assert.That(Saturating("vllm").OutputTokensPerS, Is.GreaterThan(staticTokensPerS * 1.2));
            Assert.That(Saturating("sarathi").OutputTokensPerS, Is.GreaterThan(staticTokensPerS * 1.2));
        }

        [Test]
        public void OrcaStallsDecodesForAWholeLongPrefill()
        {
            // The timeline of SarathiSpreadsALongPromptSoDecodesKeepTheirPace under orca: B's whole 1,000-token prompt
            // joins A's decode at 0.154, so A waits 1.011 s for its next token, against 0.110 s under sarathi.
            RequestLog orca = Run("orca", 128, null, TestScenes.Request(0, 0, 100, 10), TestScenes.Request(1, 0.15, 1000, 2));
            Assert.That(orca[0].MaxTbtS, Is.EqualTo(1.011).Within(1e-9));
            Assert.That(orca[1].FirstScheduledS, Is.EqualTo(0.154).Within(1e-9));
        }
    }
}
