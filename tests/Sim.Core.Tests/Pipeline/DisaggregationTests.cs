using System.Collections.Generic;
using NUnit.Framework;
using Sim.Core.Metrics;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Core.Tests.Support;
using Sim.Core.Trace;

namespace Sim.Core.Tests.Pipeline
{
    /// <summary>Prefill/decode disaggregation: a timeline worked out by hand (10 ms + 1 ms a token) and the behaviour it exists for.</summary>
    public class DisaggregationTests
    {
        const double Tolerance = 1e-12;

        // Llama-2-7B: 512 KiB of KV a token; the link moves 50 GB/s after 10 us.
        static double TransferS(int tokens) => 10e-6 + tokens * 524288 / 50e9;

        static Scene Disaggregated(int prefillReplicas, int decodeReplicas)
        {
            Scene scene = TestScenes.Small();
            scene.Disaggregation = new Disaggregation
            {
                Prefill = new ReplicaPool { Role = ReplicaRole.Prefill, Replicas = prefillReplicas, HardwareId = scene.HardwareId, Hardware = scene.Hardware },
                Decode = new ReplicaPool { Role = ReplicaRole.Decode, Replicas = decodeReplicas, HardwareId = scene.HardwareId, Hardware = scene.Hardware },
                LinkBytesPerS = 50e9,
                LinkLatencyS = 10e-6,
            };
            scene.Replicas = prefillReplicas + decodeReplicas;
            return scene;
        }

        static RequestLog Run(Scene scene, params TraceRequest[] requests)
        {
            var simulation = new Simulation(scene, new List<TraceRequest>(requests), requests.Length, "test", perfModel: new LinearPerfModel(0.010, 0.001));
            simulation.Run();
            return simulation.Log;
        }

        [Test]
        public void ThePrefillPoolMakesTheFirstTokenAndTheDecodePoolTheRest()
        {
            // Prefill 0.110 s on replica 0 (first token), 100 tokens of KV cross the link, then two decodes of 0.011 on replica 1.
            RequestRecord a = Run(Disaggregated(1, 1), TestScenes.Request(0, 0, 100, 3))[0];
            Assert.That(a.TtftS, Is.EqualTo(0.110).Within(Tolerance));
            Assert.That(a.FinishS, Is.EqualTo(0.110 + TransferS(100) + 2 * 0.011).Within(Tolerance));
            Assert.That((a.Replica, a.DecodeReplica), Is.EqualTo((0, 1)));
        }

        [Test]
        public void DecodesNoLongerWaitForALongPrefill()
        {
            // A (prompt 100, output 10) decodes while B's 1,000-token prompt arrives at 0.15. Mixed on one replica, B's
            // prompt joins A's decode: A waits 1.011 s (SchedulerPolicyTests). Disaggregated, B prefills elsewhere, so
            // A's longest gap is its handoff: the transfer and one decode.
            TraceRequest a = TestScenes.Request(0, 0, 100, 10), b = TestScenes.Request(1, 0.15, 1000, 2);
            Assert.That(Run(TestScenes.Small(), a, b)[0].MaxTbtS, Is.EqualTo(1.011).Within(1e-9));
            RequestLog log = Run(Disaggregated(1, 1), a, b);
            Assert.That(log[0].MaxTbtS, Is.EqualTo(TransferS(100) + 0.011).Within(Tolerance));
            Assert.That(log[1].TtftS, Is.EqualTo(1.010).Within(1e-9), "B's prompt alone on the prefill replica");
        }

        [Test]
        public void TbtNoLongerDependsOnPrefillLoad()
        {
            // 200 chat requests (prompt 300, output 100) every 0.5 s, alone or interleaved with 200 prefill-only requests
            // (prompt 3,000, output 1) on Llama-2-7B / A100 with the roofline model. On two mixed replicas the long
            // prompts share iterations with decodes and the p99 gap between tokens grows; with one prefill and one
            // decode replica the decode pool sees the same work either way.
            double P99Tbt(Scene scene, bool withPrefillLoad)
            {
                var requests = new List<TraceRequest>();
                for (int i = 0; i < 200; i++)
                {
                    requests.Add(TestScenes.Request(requests.Count, i * 0.5, 300, 100));
                    if (withPrefillLoad) requests.Add(TestScenes.Request(requests.Count, i * 0.5 + 0.25, 3000, 1));
                }
                var simulation = new Simulation(scene, requests, requests.Count, "test");
                simulation.Run();
                return SummaryBuilder.Build(simulation, "cpu", 0).TbtS.P99;
            }
            Scene Mixed()
            {
                Scene scene = TestScenes.Small();
                scene.Replicas = 2;
                return scene;
            }
            double mixedGrowth = P99Tbt(Mixed(), true) / P99Tbt(Mixed(), false);
            double disaggregatedGrowth = P99Tbt(Disaggregated(1, 1), true) / P99Tbt(Disaggregated(1, 1), false);
            Assert.That(mixedGrowth, Is.GreaterThan(2), "mixed p99 TBT grows with prefill load");
            Assert.That(disaggregatedGrowth, Is.InRange(0.95, 1.05), "disaggregated p99 TBT does not");
        }
    }
}
