using System;
using System.Linq;
using System.Text.Json;
using CsCheck;
using NUnit.Framework;
using Sim.Core.Metrics;
using Sim.Core.PerfModel;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Core.Tests.Support;
using Sim.Core.Trace;
using Sim.Tests.Shared;

namespace Sim.Core.Tests.Pipeline
{
    /// <summary>
    /// Runs split into groups of replicas, each its own world on its own thread, against the same runs in one world (the second
    /// implementation): every request record and every summary field the same, whatever the grouping.
    /// </summary>
    public class PartitionedRunTests
    {
        sealed class Outcome
        {
            public RequestRecord[] Requests = new RequestRecord[0];
            public string Summary = "";
            public int Partitions;
        }

        static Outcome Run(Scene scene, int maxPartitions, bool fastForward = true, IPerfModel? perfModel = null, long? expectedRequests = null)
        {
            SceneWorkload workload = SceneWorkload.Open(scene);
            using var simulation = new Simulation(scene, workload.Requests, expectedRequests ?? workload.Count, workload.SourceName, perfModel: perfModel)
            {
                MaxPartitions = maxPartitions,
                FastForward = fastForward,
            };
            simulation.Run();
            return new Outcome
            {
                Requests = simulation.Log.Records.ToArray(),
                Summary = JsonSerializer.Serialize(SummaryBuilder.Build(simulation, "cpu", 0)),
                Partitions = simulation.PartitionsRun,
            };
        }

        static void AssertSame(Outcome split, Outcome whole, string what)
        {
            Assert.That(whole.Partitions, Is.EqualTo(0), what);
            Assert.That(split.Requests, Is.EqualTo(whole.Requests), what + ": requests");
            Assert.That(split.Summary, Is.EqualTo(whole.Summary), what + ": summary");
        }

        [Test]
        public void RandomScenesGiveTheSameOutputsSplitAsInOneWorld()
        {
            int rejected = 0;
            Gen.Select(Gen.Int[0, TestScenes.Policies.Length - 1], Gen.Int[2, 5], Gen.Int[2, 5], Gen.Int[1000, 30000], Gen.Int[2, 64], Gen.Int[0, 2], Gen.Double[0.5, 30], Gen.Int[1, 400])
                .Select(Gen.ULong, Gen.Bool, Gen.Bool, Gen.Bool, Gen.Bool)
                .Sample(t =>
                {
                    var ((policy, replicas, partitions, kvDraw, maxSeqs, budgetKind, ratePerS, maxOutput), seed, truncate, fastForward, checkInvariants, small) = t;
                    // Half the caches smaller than the longest requests (1,600 tokens), which they reject or cut; the first group takes those.
                    int kvTokens = small ? 1000 + kvDraw % 600 : kvDraw;
                    Scene scene = TestScenes.Small(kvTokens);
                    scene.CheckInvariants = checkInvariants;
                    scene.Seed = seed;
                    scene.SchedulerPolicy = TestScenes.Policies[policy];
                    scene.Replicas = replicas;
                    scene.MaxNumSeqs = maxSeqs;
                    TestScenes.SetBudget(scene, budgetKind);
                    scene.Oversize = truncate ? OversizePolicy.Truncate : OversizePolicy.Reject;
                    scene.Synthetic = new SyntheticWorkload
                    {
                        Requests = 150,
                        Arrival = ArrivalProcess.Poisson,
                        RatePerS = ratePerS,
                        PromptTokens = new LengthDistribution { Kind = LengthKind.Uniform, Min = 1, Max = 1200 },
                        OutputTokens = new LengthDistribution { Kind = LengthKind.Uniform, Min = 1, Max = maxOutput },
                    };
                    string what = scene.SchedulerPolicy + ", " + replicas + " replicas in up to " + partitions + " groups, " + kvTokens + " KV tokens, seed " + seed;
                    Outcome split = Run(scene, partitions, fastForward);
                    Assert.That(split.Partitions, Is.EqualTo(Math.Min(partitions, replicas)), what);
                    AssertSame(split, Run(scene, 1, fastForward), what);
                    rejected += split.Requests.Count(r => r.Outcome == RequestOutcome.Rejected);
                }, iter: 60, threads: 1);
            // The first group's share of the unserved requests was tried.
            Assert.That(rejected, Is.GreaterThan(0));
        }

        [TestCase("azure-conv-4x-llama2-70b.yaml", 4)]
        [TestCase("azure-code-codellama-34b.yaml", 2)]
        // Replicas that share a router reading their loads, or MoE's step gate, run in one world.
        [TestCase("profile-llama2-7b-a100-tp2.yaml", 0)]
        [TestCase("moe-mixtral-offload.yaml", 0)]
        public void SceneFilesGiveTheSameOutputsSplitAsInOneWorld(string file, int partitions)
        {
            Scene Load()
            {
                Scene scene = SceneLoader.Load(Repository.PathOf("scenes", "examples", file), Array.Empty<string>());
                if (scene.Synthetic != null) scene.Synthetic.Requests = Math.Min(scene.Synthetic.Requests, 600);
                else scene.MaxRequests = Math.Min(scene.MaxRequests ?? long.MaxValue, 600);
                return scene;
            }
            Outcome split = Run(Load(), 8);
            Assert.That(split.Partitions, Is.EqualTo(partitions));
            AssertSame(split, Run(Load(), 1), file);
        }

        [Test]
        public void RecordsPastTheExpectedRequestsAreGatheredToo()
        {
            // The run's log is made for the requests it is told to expect: told 1 (room for 16), the groups cannot copy their
            // records as they end, and the run copies them once it has made room.
            Scene scene = SceneLoader.Load(Repository.PathOf("scenes", "examples", "azure-conv-4x-llama2-70b.yaml"), new[] { "workload.requests=300" });
            Outcome split = Run(scene, 3, expectedRequests: 1);
            Assert.That(split.Partitions, Is.EqualTo(3));
            Assert.That(split.Requests.Length, Is.EqualTo(300));
            AssertSame(split, Run(scene, 1), "told to expect 1 request");
        }

        [Test]
        public void TheGroupsShareTheSharedPerfModelTheRunIsGiven()
        {
            // The CLI builds the scene's perf model ahead and gives it to the run; the groups then price with that one model.
            Scene scene = SceneLoader.Load(Repository.PathOf("scenes", "examples", "azure-conv-4x-llama2-70b.yaml"), new[] { "workload.requests=400" });
            IPerfModel shared = ScenePerfModels.OfOnePool(scene)!;
            Assert.That(shared, Is.InstanceOf<ISharedPerfModel>());
            Outcome split = Run(scene, 4, perfModel: shared);
            Assert.That(split.Partitions, Is.EqualTo(4));
            AssertSame(split, Run(scene, 1), "shared roofline");
            // A model that does not say it may be called from several threads is not shared: the run steps in one world.
            Assert.That(Run(scene, 4, perfModel: new LinearPerfModel(0.01, 0.001)).Partitions, Is.EqualTo(0));
        }

        [Test]
        public void ARunWithAnIterationSinkOrStoppedByAnOversizeRequestStaysInOneWorld()
        {
            Scene scene = TestScenes.Small(6000);
            scene.Replicas = 2;
            var requests = TestScenes.Requests(TestScenes.Request(0, 0, 100, 5), TestScenes.Request(1, 0, 100, 5));
            using var sunk = new Simulation(scene, requests, 2, "trace.csv", sink: new NullSink()) { MaxPartitions = 2 };
            sunk.Run();
            Assert.That(sunk.PartitionsRun, Is.EqualTo(0));
            // Under `error` the first oversize request stops the run, named by its id in the whole run.
            scene.Oversize = OversizePolicy.Error;
            using var stopping = new Simulation(scene, requests, 2, "trace.csv") { MaxPartitions = 2 };
            stopping.Run();
            Assert.That(stopping.PartitionsRun, Is.EqualTo(0));
            scene.Oversize = OversizePolicy.Reject;
            using var split = new Simulation(scene, requests, 2, "trace.csv") { MaxPartitions = 2 };
            split.Run();
            Assert.That(split.PartitionsRun, Is.EqualTo(2));
            Assert.That(split.Log.Records.ToArray().Select(r => r.Replica), Is.EqualTo(new[] { 0, 1 }));
        }

        sealed class NullSink : IIterationSink
        {
            public void OnIteration(in IterationRecord iteration)
            {
            }
        }
    }
}
