using System;
using System.Linq;
using NUnit.Framework;
using Sim.Core.Metrics;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Core.Tests.Support;
using Sim.Core.Trace;

namespace Sim.Core.Tests.Pipeline
{
    public class DeterminismAndAllocationTests
    {
        static Scene SyntheticScene(long requests, double ratePerS = 40)
        {
            Scene scene = TestScenes.Small(kvCapacityTokens: 20000);
            scene.Replicas = 2;
            scene.Synthetic = new SyntheticWorkload
            {
                Requests = requests,
                Arrival = ArrivalProcess.Poisson,
                RatePerS = ratePerS,
                PromptTokens = new LengthDistribution { Kind = LengthKind.Uniform, Min = 50, Max = 1500 },
                OutputTokens = new LengthDistribution { Kind = LengthKind.Uniform, Min = 10, Max = 300 },
            };
            return scene;
        }

        static Simulation RunSynthetic(Scene scene)
        {
            SceneWorkload workload = SceneWorkload.Open(scene);
            var sim = new Simulation(scene, workload.Requests, workload.Count, workload.SourceName);
            sim.Run();
            return sim;
        }

        [Test]
        public void SameSceneAndSeedGiveIdenticalRecords()
        {
            RequestRecord[] first = RunSynthetic(SyntheticScene(800)).Log.Records.ToArray();
            RequestRecord[] second = RunSynthetic(SyntheticScene(800)).Log.Records.ToArray();
            Assert.That(second, Is.EqualTo(first));
            Assert.That(first.Count(r => r.Preemptions > 0), Is.GreaterThan(0), "the load should be high enough to preempt");
            Scene reseeded = SyntheticScene(800);
            reseeded.Seed = 43;
            Assert.That(RunSynthetic(reseeded).Log.Records.ToArray(), Is.Not.EqualTo(first));
        }

        [Test]
        public void StepLoopAllocatesNothingInSteadyState()
        {
            // A load the replicas keep up with, so queues and live requests stay bounded (a true steady state).
            Scene scene = SyntheticScene(40000, ratePerS: 10);
            scene.CheckInvariants = false;
            SceneWorkload workload = SceneWorkload.Open(scene);
            using var sim = new Simulation(scene, workload.Requests, workload.Count, workload.SourceName);
            // Warm up until every pool (entity chunks, queues) has reached the largest size this run needs.
            // Counted in steps taken (a fast-forward move takes many in one call).
            while (sim.Steps < 60000) sim.Step();
            long before = GC.GetAllocatedBytesForCurrentThread();
            bool running = true;
            while (running && sim.Steps < 80000) running = sim.Step();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.That(running, Is.True, "the run must still be going while measured");
            Assert.That(sim.FastForwardedIterations, Is.GreaterThan(0), "moves are part of the steady state measured");
            Assert.That(allocated, Is.EqualTo(0), "bytes allocated over 20,000 steady-state steps");
        }
    }
}
