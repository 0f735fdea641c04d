using System.Collections.Generic;
using NUnit.Framework;
using Sim.Core.Metrics;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Core.Tests.Support;
using Sim.Core.Trace;

namespace Sim.Core.Tests.Policies
{
    /// <summary>Timelines worked out by hand (10 ms + 1 ms a token) for the batchllm policy against vllm.</summary>
    public class BatchLlmSchedulerTests
    {
        const double Tolerance = 1e-12;

        static TraceRequest Hashed(long id, int outputTokens, params int[] hashIds)
        {
            TraceRequest request = TestScenes.Request(id, 0, 1030, outputTokens);
            request.HashIds = hashIds;
            return request;
        }

        static (RequestLog Log, long PrefillTokens) Run(string policy, int maxNumSeqs, params TraceRequest[] requests)
        {
            Scene scene = TestScenes.Small();
            scene.SchedulerPolicy = policy;
            scene.PrefixCaching = true;
            scene.MaxNumSeqs = maxNumSeqs;
            var counter = new PrefillCounter();
            var simulation = new Simulation(scene, new List<TraceRequest>(requests), requests.Length, "test", counter, new LinearPerfModel(0.010, 0.001));
            simulation.Run();
            return (simulation.Log, counter.PrefillTokens);
        }

        [Test]
        public void ASharedPrefixIsComputedOnceInsteadOfOncePerRequest()
        {
            // Two families of two 1030-token prompts, all at t=0. vllm admits all four at once (4,096-token budget:
            // the last is chunked), before anything is cached: 4,120 prompt tokens computed. batchllm admits one of
            // each family (the decode-heavier Q first): 2,060 tokens in 2.070 s, caching their first block; then P2 and
            // Q2 reuse it beside the two decodes and compute 518 each: 3,096 in all; P1 ends at 2.070 + 0.010 + 1.038.
            TraceRequest[] requests = { Hashed(0, 2, 1, 11), Hashed(1, 4, 2, 21), Hashed(2, 2, 1, 12), Hashed(3, 4, 2, 22) };
            (RequestLog vllmLog, long vllmPrefill) = Run("vllm", 8, requests);
            (RequestLog log, long prefill) = Run("batchllm", 8, requests);
            Assert.That(vllmPrefill, Is.EqualTo(4120));
            Assert.That(vllmLog[2].PrefixHitTokens, Is.EqualTo(0));
            Assert.That(prefill, Is.EqualTo(3096));
            Assert.That((log[2].PrefixHitTokens, log[3].PrefixHitTokens), Is.EqualTo((512, 512)));
            Assert.That(log[2].FirstScheduledS, Is.EqualTo(2.070).Within(Tolerance));
            Assert.That(log[0].FinishS, Is.EqualTo(2.070 + 0.010 + 1.038).Within(Tolerance));
        }

        [Test]
        public void DecodeHeavyRequestsStartFirst()
        {
            // One at a time: A (prompt 100, output 2) arrived first but B (prompt 100, output 50) is decode-heavier, so
            // batchllm runs B first: prefill 0.110, 49 decodes of 0.011, done at 0.649, when A starts.
            TraceRequest a = TestScenes.Request(0, 0, 100, 2), b = TestScenes.Request(1, 0, 100, 50);
            (RequestLog log, _) = Run("batchllm", 1, a, b);
            Assert.That(log[1].FirstScheduledS, Is.EqualTo(0));
            Assert.That(log[0].FirstScheduledS, Is.EqualTo(0.649).Within(Tolerance));
            Assert.That(Run("vllm", 1, a, b).Log[1].FirstScheduledS, Is.GreaterThan(0), "vllm keeps arrival order");
        }

        [Test]
        public void BatchesAreSizedByTheKvTheirRequestsWillHoldSoNoneIsPreempted()
        {
            // 3 pages of 16 tokens; A and B (prompt 16, output 20) each hold 35 tokens (3 pages) at their end. vllm admits
            // both and preempts B; batchllm admits A alone and B after it: 0.026 + 19 x 0.011 = 0.235 each.
            Scene scene = TestScenes.Small(kvCapacityTokens: 48);
            scene.SchedulerPolicy = "batchllm";
            var simulation = new Simulation(scene, TestScenes.Requests(TestScenes.Request(0, 0, 16, 20), TestScenes.Request(1, 0, 16, 20)), 2, "test",
                perfModel: new LinearPerfModel(0.010, 0.001));
            simulation.Run();
            Assert.That(simulation.Log[0].Preemptions + simulation.Log[1].Preemptions, Is.EqualTo(0));
            Assert.That(simulation.Log[1].FinishS, Is.EqualTo(0.470).Within(Tolerance));
        }
    }
}
