using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using CsCheck;
using NUnit.Framework;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Metrics;
using Sim.Core.Pipeline;
using Sim.Core.Policies;
using Sim.Core.Scenes;
using Sim.Core.Systems;
using Sim.Core.Tests.Support;
using Sim.Core.Trace;
using Sim.Tests.Shared;

namespace Sim.Core.Tests.Pipeline
{
    /// <summary>
    /// Fast-forwarded runs against the same runs stepped one event at a time (the second implementation): every
    /// iteration record, request record and summary field equal, for every scheduling policy, on random scenes.
    /// </summary>
    public class FastForwardTests
    {
        sealed class Iterations : IIterationSink
        {
            public readonly List<IterationRecord> Records = new List<IterationRecord>();

            public void OnIteration(in IterationRecord iteration) => Records.Add(iteration);
        }

        sealed class Outcome
        {
            public List<IterationRecord> Iterations = new List<IterationRecord>();
            public RequestRecord[] Requests = new RequestRecord[0];
            public string Summary = "";
            public long Steps;
            public long FastForwarded;
        }

        static Outcome Run(Scene scene, bool fastForward)
        {
            scene.FastForward = fastForward;
            SceneWorkload workload = SceneWorkload.Open(scene);
            var sink = new Iterations();
            using var simulation = new Simulation(scene, workload.Requests, workload.Count, workload.SourceName, sink);
            simulation.Run();
            return OutcomeOf(simulation, sink);
        }

        static Outcome OutcomeOf(Simulation simulation, Iterations sink) => new Outcome
        {
            Iterations = sink.Records,
            Requests = simulation.Log.Records.ToArray(),
            Summary = JsonSerializer.Serialize(SummaryBuilder.Build(simulation, "cpu", 0)),
            Steps = simulation.Steps,
            FastForwarded = simulation.FastForwardedIterations,
        };

        static void AssertSame(Outcome fast, Outcome stepped, string what)
        {
            Assert.That(stepped.FastForwarded, Is.EqualTo(0), what);
            Assert.That(fast.Iterations, Is.EqualTo(stepped.Iterations), what + ": iterations");
            Assert.That(fast.Requests, Is.EqualTo(stepped.Requests), what + ": requests");
            Assert.That(fast.Summary, Is.EqualTo(stepped.Summary), what + ": summary");
            Assert.That(fast.Steps, Is.EqualTo(stepped.Steps), what + ": steps");
        }

        // With invariant checks each fast-forwarded iteration writes its requests back before the checks read them; without,
        // a replica's requests are written back only before a step that touches it.
        [TestCase(true)]
        [TestCase(false)]
        public void RandomScenesGiveTheSameOutputsFastForwardedAsStepped(bool checkInvariants)
        {
            long fastForwarded = 0, iterations = 0;
            Gen.Select(Gen.Int[0, TestScenes.Policies.Length - 1], Gen.Int[1, 3], Gen.Int[1500, 30000], Gen.Int[2, 64], Gen.Int[0, 2], Gen.Double[0.5, 30], Gen.Int[1, 400], Gen.Bool)
                .Select(Gen.ULong, Gen.Int[0, 1])
                .Sample(t =>
                {
                    var ((policy, replicas, kvTokens, maxSeqs, budgetKind, ratePerS, maxOutput, swap), seed, blockKind) = t;
                    Scene scene = TestScenes.Small(kvTokens);
                    scene.CheckInvariants = checkInvariants;
                    scene.Seed = seed;
                    scene.SchedulerPolicy = TestScenes.Policies[policy];
                    scene.Replicas = replicas;
                    scene.BlockTokens = blockKind == 0 ? 16 : 32;
                    scene.MaxNumSeqs = maxSeqs;
                    TestScenes.SetBudget(scene, budgetKind);
                    scene.SwapPreemption = swap;
                    scene.SwapSpaceBytes = swap ? 1L << 28 : 0;
                    scene.Oversize = OversizePolicy.Reject;
                    scene.Synthetic = new SyntheticWorkload
                    {
                        Requests = 120,
                        Arrival = ArrivalProcess.Poisson,
                        RatePerS = ratePerS,
                        PromptTokens = new LengthDistribution { Kind = LengthKind.Uniform, Min = 1, Max = 1200 },
                        OutputTokens = new LengthDistribution { Kind = LengthKind.Uniform, Min = 1, Max = maxOutput },
                    };
                    string what = scene.SchedulerPolicy + ", " + replicas + " replicas, " + kvTokens + " KV tokens, seed " + seed;
                    Outcome fast = Run(scene, true);
                    AssertSame(fast, Run(scene, false), what);
                    fastForwarded += fast.FastForwarded;
                    iterations += fast.Iterations.Count;
                }, iter: 60, threads: 1);
            // The comparison means something only if moves happened, and often.
            Assert.That(fastForwarded, Is.GreaterThan(iterations / 10));
        }

        [TestCase("examples", "llama2-70b-a100-tp2-vllm.yaml")]
        [TestCase("examples", "azure-conv-4x-llama2-70b.yaml")]
        [TestCase("examples", "azure-code-codellama-34b.yaml")]
        [TestCase("examples", "synthetic-poisson-llama3-8b.yaml")]
        [TestCase("examples", "profile-llama2-7b-a100-tp2.yaml")]
        [TestCase("examples", "mooncake-prefix-llama3.1-70b.yaml")]
        [TestCase("examples", "disagg-llama3-70b-h100.yaml")]
        [TestCase("examples", "moe-mixtral-offload.yaml")]
        [TestCase("examples", "moe-mixtral-nested-bits.yaml")]
        [TestCase("examples", "kv-prediction-llama2-70b-a100.yaml")]
        [TestCase("examples", "speculative-llama2-70b-a100.yaml")]
        [TestCase("examples", "long-prompt-kv-compression-llama3-8b.yaml")]
        [TestCase("validation", "vidur-1k-vllm.yaml")]
        [TestCase("validation", "vidur-1k-vllm-ts8.yaml")]
        [TestCase("validation", "vidur-1k-sarathi.yaml")]
        [TestCase("validation", "vidur-1k-sarathi-ts8.yaml")]
        public void SceneFilesGiveTheSameOutputsFastForwardedAsStepped(string folder, string file)
        {
            IgnoreWithoutSharedProfiles(folder);
            Scene Load()
            {
                Scene scene = SceneLoader.Load(Repository.PathOf("scenes", folder, file), new[] { "check_invariants=true" });
                if (scene.Synthetic != null) scene.Synthetic.Requests = System.Math.Min(scene.Synthetic.Requests, 400);
                else scene.MaxRequests = System.Math.Min(scene.MaxRequests ?? long.MaxValue, 400);
                return scene;
            }
            Outcome fast = Run(Load(), true);
            AssertSame(fast, Run(Load(), false), file);
        }

        /// <summary>Four replicas of long decodes behind round-robin: interleaved batches, pages filled mid-move, arrivals between moves.</summary>
        static Scene FourReplicas(ulong seed)
        {
            Scene scene = TestScenes.Small(6000);
            scene.CheckInvariants = false;
            scene.Seed = seed;
            scene.Replicas = 4;
            scene.Synthetic = new SyntheticWorkload
            {
                Requests = 200,
                Arrival = ArrivalProcess.Poisson,
                RatePerS = 4,
                PromptTokens = new LengthDistribution { Kind = LengthKind.Uniform, Min = 1, Max = 600 },
                OutputTokens = new LengthDistribution { Kind = LengthKind.Uniform, Min = 1, Max = 300 },
            };
            return scene;
        }

        [Test]
        public void AMoveGoesOnThroughArrivalsAdmissionsAndFinishes()
        {
            Scene scene = FourReplicas(7);
            scene.FastForward = true;
            SceneWorkload workload = SceneWorkload.Open(scene);
            var sink = new Iterations();
            using var simulation = new Simulation(scene, workload.Requests, workload.Count, workload.SourceName, sink);
            simulation.Run();
            DecodeFastForward moves = simulation.FastForwarder!;
            // Every prompt (at most 600 tokens) fits one batch's 4096-token budget, and the KV cache never runs short here, so
            // every batch is decodes or prompts with decodes, whose ends the lanes take; a move routes each arrival and has the
            // scheduler choose each admission itself. The run is moves of DecodeFastForward.MostStepsAMove steps, each followed
            // by one step of the phases, the last move ending where no event is left; every request finishes in a lane. A batch
            // admitting beside running decodes is the lane's own (the decodes, then the scheduler's admissions), but for those
            // the phases' steps between moves schedule (at most one a replica each). A lane is read afresh only at a move's
            // start and on another batch its scheduler chose (each with a prompt), never for another replica's step.
            int most = DecodeFastForward.MostStepsAMove;
            Assert.That(moves.Moves, Is.EqualTo((simulation.Steps + most) / (most + 1)));
            Assert.That(moves.Steps, Is.EqualTo(simulation.Steps - moves.Moves));
            Assert.That(moves.Finishes, Is.EqualTo(200));
            int prompts = sink.Records.Count(r => r.PrefillTokens > 0);
            int promptsBesideDecodes = sink.Records.Count(r => r.PrefillTokens > 0 && r.DecodeTokens > 0);
            Assert.That(moves.LaneAdmissions, Is.InRange(promptsBesideDecodes - 4 * moves.Moves, promptsBesideDecodes));
            Assert.That(moves.LaneBuilds, Is.LessThanOrEqualTo(4 * moves.Moves + prompts - moves.LaneAdmissions));
            AssertSame(Run(FourReplicas(7), true), Run(FourReplicas(7), false), "four replicas");
        }

        /// <summary>
        /// After each move, written back, a replica's decision is the one the stepped run holds for the same iteration: a batch
        /// whose end finished requests the lane dropped lists them in their slots, as the phases left it.
        /// </summary>
        [TestCase("vllm")]
        [TestCase("sarathi")]
        public void AfterAMoveEachReplicasDecisionIsTheSteppedRunsOne(string policy)
        {
            Simulation Open(bool fastForward)
            {
                Scene scene = FourReplicas(11);
                scene.SchedulerPolicy = policy;
                // Small chunks: prompts in several batches, whose ends the lanes do not take, so moves end often.
                scene.MaxBatchTokens = 256;
                scene.ChunkTokens = 64;
                scene.FastForward = fastForward;
                SceneWorkload workload = SceneWorkload.Open(scene);
                return new Simulation(scene, workload.Requests, workload.Count, workload.SourceName);
            }
            using Simulation fast = Open(true), stepped = Open(false);
            int compared = 0, withFinished = 0;
            while (fast.Step())
            {
                while (stepped.Steps < fast.Steps && stepped.Step()) { }
                fast.FastForwarder!.FoldAll();
                for (int r = 0; r < fast.Cluster.Replicas.Length; r++)
                {
                    SchedulerOutput moved = fast.Cluster.Replicas[r].InFlight, steps = stepped.Cluster.Replicas[r].InFlight;
                    // A move ends having scheduled the batches of the step it stops before (the stepped run's next step).
                    if (moved.Iteration != steps.Iteration || moved.StartS != steps.StartS || steps.Count == 0) continue;
                    Assert.That(moved.Sequences.Select(s => (s.RequestId, s.NewTokens, s.ContextTokens, s.IsPrefill)).ToArray(),
                        Is.EqualTo(steps.Sequences.Select(s => (s.RequestId, s.NewTokens, s.ContextTokens, s.IsPrefill)).ToArray()), "replica " + r + ", iteration " + moved.Iteration);
                    compared++;
                    if (moved.Sequences.Any(s => fast.Log[s.RequestId].Outcome == RequestOutcome.Completed)) withFinished++;
                }
            }
            TestContext.Out.WriteLine(compared + " decisions compared, " + withFinished + " with finished requests");
            Assert.That(withFinished, Is.GreaterThan(10));
        }

        /// <summary>
        /// After the step that follows each move, the lanes written back, every request holds the pages the stepped run gave it
        /// at the same step, in the same order. The overloaded conversation scene's lanes reserve decode pages, admit and
        /// preempt; which page each request holds shows in no output.
        /// </summary>
        [Test]
        public void AfterAMoveEveryRequestHoldsTheSteppedRunsPages()
        {
            Simulation Open()
            {
                Scene scene = SceneLoader.Load(Repository.PathOf("scenes", "examples", "azure-conv-4x-llama2-70b.yaml"), new[] { "workload.requests=600", "workload.time_scale=1" });
                SceneWorkload workload = SceneWorkload.Open(scene);
                return new Simulation(scene, workload.Requests, workload.Count, workload.SourceName);
            }
            using Simulation fast = Open(), stepped = Open();
            stepped.FastForward = false;
            int compared = 0, pages = 0;
            long movedSteps = 0;
            while (fast.Step())
            {
                while (stepped.Steps < fast.Steps && stepped.Step()) { }
                // A move ends having scheduled the batches of the step it stops before, reserving their pages: compared after
                // that step, which the phases take.
                bool afterAMove = fast.FastForwarder!.Steps != movedSteps;
                movedSteps = fast.FastForwarder.Steps;
                if (afterAMove || stepped.Steps != fast.Steps) continue;
                fast.FastForwarder.FoldAll();
                Dictionary<long, int[]> moved = PageTables(fast), steps = PageTables(stepped);
                Assert.That(moved.Keys, Is.EquivalentTo(steps.Keys), "requests at step " + fast.Steps);
                foreach (KeyValuePair<long, int[]> request in moved)
                {
                    Assert.That(request.Value, Is.EqualTo(steps[request.Key]), "request " + request.Key + " at step " + fast.Steps);
                    pages += request.Value.Length;
                }
                compared++;
            }
            TestContext.Out.WriteLine(compared + " steps compared, " + pages + " pages");
            Assert.That(compared, Is.GreaterThan(10));
        }

        /// <summary>Every request's pages, by request id.</summary>
        static Dictionary<long, int[]> PageTables(Simulation simulation)
        {
            var tables = new Dictionary<long, int[]>();
            Archetype requests = ArriveSystem.Requests(simulation.World);
            for (int c = 0; c < requests.ActiveChunkCount; c++)
            {
                Chunk chunk = requests.GetChunk(c);
                Span<RequestInfo> infos = chunk.GetSpan<RequestInfo>();
                Span<KvPageTable> pageTables = chunk.GetSpan<KvPageTable>();
                for (int row = 0; row < chunk.Count; row++) tables.Add(infos[row].Id, pageTables[row].Pages.Take(pageTables[row].PageCount).ToArray());
            }
            return tables;
        }

        // The routers read the other replicas between moves, whose lanes are not written back for them.
        [TestCase("least-loaded")]
        [TestCase("power-of-two")]
        [TestCase("least-kv")]
        public void RoutersReadingReplicaLoadsRouteAsStepped(string router)
        {
            Scene Load()
            {
                Scene scene = FourReplicas(5);
                scene.Router = router;
                return scene;
            }
            Outcome fast = Run(Load(), true);
            AssertSame(fast, Run(Load(), false), router);
            Assert.That(fast.FastForwarded, Is.GreaterThan(fast.Iterations.Count / 2));
        }

        [TestCase(3)]
        [TestCase(250)]
        [TestCase(2000)]
        public void FastForwardTurnedOffMidRunWritesTheLanesBack(int moves)
        {
            var sink = new Iterations();
            Scene scene = FourReplicas(11);
            SceneWorkload workload = SceneWorkload.Open(scene);
            using var simulation = new Simulation(scene, workload.Requests, workload.Count, workload.SourceName, sink);
            for (int i = 0; i < moves && simulation.Step(); i++) { }
            Assert.That(simulation.FastForwardedIterations, Is.GreaterThan(0));
            simulation.FastForward = false;
            simulation.Run();
            AssertSame(OutcomeOf(simulation, sink), Run(FourReplicas(11), false), "fast-forward off after " + moves + " steps");
        }

        // The four-replica conversation scene at the trace's real rate: the waiting queues only grow, so each finish frees the
        // pages that let the next waiting request in, beside the running decodes. The lanes schedule those admissions (but for
        // batches that preempt and those of the phases' steps between moves) and read only the admitted requests, their running
        // requests' values still unwritten; turned off mid-run, or stepped throughout, the run is the same.
        [TestCase(0)]
        [TestCase(300)]
        [TestCase(1000)]
        public void AnOverloadedReplicasLanesAdmitBesideTheirDecodes(int movesThenSteps)
        {
            Scene Load() => SceneLoader.Load(Repository.PathOf("scenes", "examples", "azure-conv-4x-llama2-70b.yaml"), new[] { "workload.requests=1500", "workload.time_scale=1" });
            var sink = new Iterations();
            Scene scene = Load();
            SceneWorkload workload = SceneWorkload.Open(scene);
            using var simulation = new Simulation(scene, workload.Requests, workload.Count, workload.SourceName, sink);
            if (movesThenSteps > 0)
            {
                for (int i = 0; i < movesThenSteps && simulation.Step(); i++) { }
                simulation.FastForward = false;
            }
            DecodeFastForward moves = simulation.FastForwarder!;
            simulation.Run();
            AssertSame(OutcomeOf(simulation, sink), Run(Load(), false), "moves for " + movesThenSteps + " steps");
            // Most of the admissions beside decodes (here 993 of 1,079) are the lanes' when the run moves throughout.
            int promptsBesideDecodes = sink.Records.Count(r => r.PrefillTokens > 0 && r.DecodeTokens > 0);
            Assert.That(moves.LaneAdmissions, movesThenSteps == 0 ? Is.InRange(promptsBesideDecodes * 3 / 4, promptsBesideDecodes) : Is.GreaterThan(0));
            // A decode short of a page preempts the newest running requests: the lanes schedule those batches too (here 252 of 316).
            int preempting = sink.Records.Count(r => r.Preempted > 0);
            Assert.That(preempting, Is.GreaterThan(0));
            Assert.That(moves.LanePreemptions, movesThenSteps == 0 ? Is.InRange(preempting * 3 / 4, preempting) : Is.GreaterThan(0));
        }

        static (Outcome Outcome, long Finishes) RunRequests(bool fastForward, bool checkInvariants, int replicas, params TraceRequest[] requests)
        {
            Scene scene = TestScenes.Small(100000);
            scene.Replicas = replicas;
            scene.CheckInvariants = checkInvariants;
            scene.FastForward = fastForward;
            var sink = new Iterations();
            using var simulation = new Simulation(scene, new List<TraceRequest>(requests), requests.Length, "test", sink, new LinearPerfModel(0.01, 0.001));
            simulation.Run();
            return (OutcomeOf(simulation, sink), simulation.FastForwarder?.Finishes ?? 0);
        }

        // Three requests arrive together: one prefill batch of 600 tokens (0.01 + 0.6 s) emits their first tokens at 0.61 s;
        // decodes of three (0.013 s each) until the first request's fifth token, at 0.61 + 4 x 0.013 = 0.662 s, then of two
        // (0.012 s) until the others' ninth, at 0.662 + 4 x 0.012 = 0.710 s. Every step but the last (which finds no event left)
        // runs in a move: the arrivals' and the prefill's (the scheduler's batch), then the eight decode batches, the two that
        // end requests included: their lanes finish the requests (one, then two at once) and go on. Moves ran all 9 iterations.
        [TestCase(true)]
        [TestCase(false)]
        public void LanesFinishTheRequestsOfTheirLastBatches(bool checkInvariants)
        {
            TraceRequest[] requests = { TestScenes.Request(0, 0, 100, 5), TestScenes.Request(1, 0, 200, 9), TestScenes.Request(2, 0, 300, 9) };
            var (fast, finishes) = RunRequests(true, checkInvariants, 1, requests);
            var (stepped, _) = RunRequests(false, checkInvariants, 1, requests);
            AssertSame(fast, stepped, "three requests");
            Assert.That(finishes, Is.EqualTo(3));
            Assert.That(fast.FastForwarded, Is.EqualTo(9));
            Assert.That(fast.Requests.Select(r => r.FinishS), Is.EqualTo(new[] { 0.662, 0.710, 0.710 }).Within(1e-9));
        }

        // Two replicas, round-robin. The first request's prefill (0.11 s) ends at 0.11 s, then its decodes (0.011 s each); the
        // decode scheduled at 0.297 s ends at 0.308 s, after the second request's arrival at 0.3 s. At the
        // arrival's step the move routes it and has the scheduler choose the second request's prefill on the other replica
        // (0.21 s, until 0.51 s), then reads that replica's lane on the prefill in flight: the lane completes it (the first
        // token at 0.51 s), then both its decodes (finish at 0.532 s), while the first request finishes its 49 decodes at
        // 0.11 + 49 x 0.011 = 0.649 s. 53 iterations in 54 steps (no two batch ends coincide, and one step only moves the clock
        // to the arrival) and a last that finds no event left: the phases ran only the last, so moves ran every iteration.
        [TestCase(true)]
        [TestCase(false)]
        public void LanesCompleteAPromptsLastChunkInFlight(bool checkInvariants)
        {
            TraceRequest[] requests = { TestScenes.Request(0, 0, 100, 50), TestScenes.Request(1, 0.3, 200, 3) };
            var (fast, finishes) = RunRequests(true, checkInvariants, 2, requests);
            var (stepped, _) = RunRequests(false, checkInvariants, 2, requests);
            AssertSame(fast, stepped, "two replicas");
            Assert.That(fast.Iterations.Count, Is.EqualTo(53));
            Assert.That(fast.Steps, Is.EqualTo(55));
            Assert.That(fast.FastForwarded, Is.EqualTo(53));
            Assert.That(finishes, Is.EqualTo(2));
            Assert.That(fast.Requests.Select(r => r.FirstTokenS), Is.EqualTo(new[] { 0.11, 0.51 }).Within(1e-9));
            Assert.That(fast.Requests.Select(r => r.FinishS), Is.EqualTo(new[] { 0.649, 0.532 }).Within(1e-9));
        }

        [Test]
        public void AnUnloadedReplicaRunsMostOfItsIterationsInMoves()
        {
            // One replica at a quarter of the trace's rate: long decode stretches between arrivals.
            Scene scene = SceneLoader.Load(Repository.PathOf("scenes", "examples", "llama2-70b-a100-tp2-vllm.yaml"), new[] { "workload.requests=500" });
            Outcome fast = Run(scene, true);
            Assert.That(fast.FastForwarded, Is.GreaterThan(fast.Iterations.Count / 2));
            Assert.That(fast.Steps, Is.EqualTo(Run(scene, false).Steps));
        }

        [TestCase("examples", "azure-conv-4x-llama2-70b.yaml")]
        [TestCase("validation", "vidur-1k-vllm.yaml")]
        public void BusyReplicasRunMostOfTheirIterationsInMoves(string folder, string file)
        {
            IgnoreWithoutSharedProfiles(folder);
            // Four replicas whose batches interleave (each step ends another one's batch), and vLLM v0's decode iterations.
            Scene scene = SceneLoader.Load(Repository.PathOf("scenes", folder, file), new[] { "workload.requests=500" });
            Outcome fast = Run(scene, true);
            Assert.That(fast.FastForwarded, Is.GreaterThan(fast.Iterations.Count / 2));
            Assert.That(fast.Steps, Is.EqualTo(Run(scene, false).Steps));
        }

        /// <summary>The validation scenes time their iterations from Vidur's A100 profiles in ../shared, beside the repository.</summary>
        static void IgnoreWithoutSharedProfiles(string folder)
        {
            if (folder == "validation" && !System.IO.Directory.Exists(Repository.PathOf("..", "shared", "profiles", "a100")))
                Assert.Ignore("../shared/profiles/a100 is not beside the repository");
        }

        [Test]
        public void AHostStepsOneEventAtATime()
        {
            Scene scene = SceneLoader.Load(Repository.PathOf("scenes", "examples", "llama2-70b-a100-tp2-vllm.yaml"), new[] { "workload.requests=100" });
            using var host = new Sim.Core.Host.SimulationHost(scene);
            long steps = 0;
            while (host.Step()) Assert.That(host.Steps, Is.EqualTo(++steps));
        }
    }
}
