using System.Collections.Generic;
using NUnit.Framework;
using Sim.Core.Metrics;
using Sim.Core.Pipeline;
using Sim.Core.Policies;
using Sim.Core.Scenes;
using Sim.Core.Tests.Support;
using Sim.Core.Trace;

namespace Sim.Core.Tests.Policies
{
    /// <summary>
    /// One request at a time (max_num_seqs 1), cost 10 ms + 1 ms a token, one output token each: A (prompt 500) at 0
    /// runs until 0.510 while B (300), C (100) and D (200) arrive at 1, 2 and 3 ms; the order picks who follows.
    /// Each runs 10 ms + its prompt, so start times can be added up by hand.
    /// </summary>
    public class AdmissionOrderTests
    {
        const double Tolerance = 1e-12;

        static double[] Starts(AdmissionOrderKind order, double starvationS = 60, PriorityRule? rule = null, params int[] tracePriorities)
        {
            Scene scene = TestScenes.Small();
            scene.MaxNumSeqs = 1;
            scene.AdmissionOrder = order;
            scene.StarvationS = starvationS;
            int[] prompts = { 500, 300, 100, 200 };
            var requests = new List<TraceRequest>();
            for (int i = 0; i < prompts.Length; i++)
            {
                TraceRequest request = TestScenes.Request(i, i * 0.001, prompts[i], 1);
                request.Priority = tracePriorities.Length > 0 ? tracePriorities[i] : 0;
                if (rule != null) request.Priority = rule.ClassOf(request.PromptTokens, request.OutputTokens);
                requests.Add(request);
            }
            var simulation = new Simulation(scene, requests, requests.Count, "test", perfModel: new LinearPerfModel(0.010, 0.001));
            simulation.Run();
            RequestLog log = simulation.Log;
            return new[] { log[0].FirstScheduledS, log[1].FirstScheduledS, log[2].FirstScheduledS, log[3].FirstScheduledS };
        }

        [Test]
        public void FirstComeFirstServedKeepsArrivalOrder() =>
            Assert.That(Starts(AdmissionOrderKind.Fcfs), Is.EqualTo(new[] { 0, 0.510, 0.820, 0.930 }).Within(Tolerance));

        [Test]
        public void ShortestPromptFirstTakesCThenDThenB() =>
            Assert.That(Starts(AdmissionOrderKind.ShortestPromptFirst), Is.EqualTo(new[] { 0, 0.830, 0.510, 0.620 }).Within(Tolerance));

        [Test]
        public void StarvedRequestsGoFirstInArrivalOrder()
        {
            // Starvation after 0.55 s: at 0.510 nobody has waited that long, so C (shortest) goes; at 0.620 B and D
            // both have, and B arrived first.
            Assert.That(Starts(AdmissionOrderKind.ShortestPromptFirst, starvationS: 0.55), Is.EqualTo(new[] { 0, 0.620, 0.510, 0.930 }).Within(Tolerance));
        }

        [Test]
        public void PriorityClassesFromTheTraceOrFromARule()
        {
            // Trace classes B 2, C 1, D 0: D, C, B.
            Assert.That(Starts(AdmissionOrderKind.Priority, 60, null, 0, 2, 1, 0), Is.EqualTo(new[] { 0, 0.830, 0.720, 0.510 }).Within(Tolerance));
            // Rule by prompt length with bounds 150 and 250: C class 0, D 1, B 2.
            Assert.That(Starts(AdmissionOrderKind.Priority, 60, new PriorityRule(false, new[] { 150, 250 })), Is.EqualTo(new[] { 0, 0.830, 0.510, 0.620 }).Within(Tolerance));
        }
    }
}
