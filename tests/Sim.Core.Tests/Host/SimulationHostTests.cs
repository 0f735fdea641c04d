using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NUnit.Framework;
using Sim.Core.Host;
using Sim.Core.Metrics;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;

namespace Sim.Core.Tests.Host
{
    public class SimulationHostTests
    {
        /// <summary>Two replicas with a small KV pool under bursty arrivals: the scheduler preempts.</summary>
        const string Crowded = "name: h\nmodel: llama-2-7b\nhardware: a100-80g\ncluster: { replicas: 2 }\nkv: { capacity_tokens: 3000 }\n" +
            "workload:\n  synthetic: { requests: 120, arrival: poisson, rate_per_s: 50, prompt_tokens: { dist: uniform, min: 100, max: 800 }, output_tokens: { dist: uniform, min: 20, max: 200 } }\n";

        /// <summary>Prefix caching with shared prefixes in a pool too small to keep them all: blocks are evicted.</summary>
        const string Caching = "name: c\nmodel: llama-2-7b\nhardware: a100-80g\ncluster: { replicas: 1 }\nkv: { capacity_tokens: 12000, prefix_caching: true }\n" +
            "workload:\n  shared_prefix: { groups: 12, tokens: 2048, fraction: 1 }\n  synthetic: { requests: 150, arrival: poisson, rate_per_s: 20, prompt_tokens: { dist: uniform, min: 2100, max: 3000 }, output_tokens: { dist: fixed, value: 20 } }\n";

        string _dir = "";

        [SetUp]
        public void MakeFolder()
        {
            _dir = Path.Combine(TestContext.CurrentContext.TestDirectory, "host-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
        }

        [TearDown]
        public void RemoveFolder() => Directory.Delete(_dir, true);

        Scene SceneOf(string yaml)
        {
            string path = Path.Combine(_dir, "scene.yaml");
            File.WriteAllText(path, yaml);
            return SceneLoader.Load(path, Array.Empty<string>());
        }

        static RequestRecord[] Uninterrupted(Scene scene)
        {
            SceneWorkload workload = SceneWorkload.Open(scene);
            using var simulation = new Simulation(scene, workload.Requests, workload.Count, workload.SourceName);
            simulation.Run();
            return simulation.Log.Records.ToArray();
        }

        [Test]
        public void SteppingThroughTheHostChangesNothingAboutTheRun()
        {
            Scene scene = SceneOf(Crowded);
            using var host = new SimulationHost(scene);
            // A mix of every way to advance, as an editor would.
            host.Step();
            host.StepIteration(1);
            host.RunUntil(0.5);
            host.RunUntil(h => h.Steps >= 200);
            while (host.StepIteration(0)) { }
            host.StepFor(TimeSpan.FromMinutes(1));
            Assert.That(host.Done, Is.True);
            Assert.That(host.Simulation.Log.Records.ToArray(), Is.EqualTo(Uninterrupted(SceneOf(Crowded))));
        }

        [Test]
        public void StepIterationAdvancesExactlyOneIterationOfThatReplica()
        {
            using var host = new SimulationHost(SceneOf(Crowded));
            var done = new List<IterationView>();
            host.IterationDone += done.Add;
            for (int call = 1; call <= 20; call++)
            {
                int replica = call % 2;
                int before = done.Count(v => v.Replica == replica);
                Assert.That(host.StepIteration(replica), Is.True);
                Assert.That(done.Count(v => v.Replica == replica), Is.EqualTo(before + 1));
                Assert.That(host.LastIteration(replica), Is.SameAs(done.Last(v => v.Replica == replica)));
            }
            // Iterations of one replica are numbered consecutively in the events.
            foreach (int replica in new[] { 0, 1 })
            {
                long[] numbers = done.Where(v => v.Replica == replica).Select(v => v.Iteration).ToArray();
                Assert.That(numbers, Is.EqualTo(Enumerable.Range((int)numbers[0], numbers.Length).Select(n => (long)n)));
            }
        }

        [Test]
        public void RunUntilStopsAtTheFirstStepPastTheMarkAndStepForAtLeastOnce()
        {
            using var host = new SimulationHost(SceneOf(Crowded));
            Assert.That(host.RunUntil(h => h.Steps == 10), Is.EqualTo(10));
            double before = host.NowS;
            host.RunUntil(before + 0.25);
            Assert.That(host.NowS, Is.GreaterThanOrEqualTo(before + 0.25));
            Assert.That(host.StepFor(TimeSpan.Zero), Is.EqualTo(1));
            host.StepFor(TimeSpan.FromMinutes(1));
            Assert.That(host.Done, Is.True);
            Assert.That(host.StepFor(TimeSpan.FromSeconds(1)), Is.EqualTo(0));
        }

        [Test]
        public void EveryRequestEndsOnceAndEveryPreemptionIsHeard()
        {
            using var host = new SimulationHost(SceneOf(Crowded));
            var ended = new List<RequestEnded>();
            var preempted = new List<(int Replica, long Id)>();
            long preemptedInIterations = 0;
            host.RequestFinished += ended.Add;
            host.Preempted += (replica, id) => preempted.Add((replica, id));
            host.IterationDone += view => preemptedInIterations += view.PreemptedRequestIds.Count;
            host.StepFor(TimeSpan.FromMinutes(1));
            RequestLog log = host.Simulation.Log;
            Assert.That(ended.Select(e => e.Id).OrderBy(id => id), Is.EqualTo(Enumerable.Range(0, 120).Select(i => (long)i)));
            Assert.That(ended.Count(e => e.Completed), Is.EqualTo(log.Completed));
            foreach (RequestEnded end in ended.Where(e => e.Completed))
                Assert.That(end.AtS, Is.EqualTo(log[end.Id].FinishS));
            Assert.That(preempted, Has.Count.GreaterThan(0), "the crowded scene preempts");
            Assert.That(preempted.Count, Is.EqualTo(preemptedInIterations));
            Assert.That(preempted.GroupBy(p => p.Id).All(g => log[g.Key].Preemptions >= g.Count()));
        }

        [Test]
        public void ThePageMapAgreesWithThePoolsOwnAccounting()
        {
            using var host = new SimulationHost(SceneOf(Crowded));
            for (int check = 0; check < 12; check++)
            {
                host.RunUntil(h => h.Steps >= (check + 1) * 40);
                for (int replica = 0; replica < host.ReplicaCount; replica++)
                {
                    IReadOnlyList<PageView> pages = host.Pages(replica);
                    var kv = host.Simulation.Cluster.Replicas[replica].Kv;
                    Assert.That(pages, Has.Count.EqualTo(kv.TotalPages));
                    Assert.That(pages.Count(p => p.Use == PageUse.Owned), Is.EqualTo(kv.UsedPages));
                    Assert.That(pages.Count(p => p.Use == PageUse.Free), Is.EqualTo(kv.EmptyPages));
                    var holders = host.Running(replica).Concat(host.Waiting(replica)).ToList();
                    Assert.That(pages.Where(p => p.Use == PageUse.Owned).Select(p => p.Owner).Distinct(), Is.SubsetOf(holders.Select(r => r.Id)));
                    Assert.That(pages.Count(p => p.Use == PageUse.Owned), Is.EqualTo(holders.Sum(r => r.Pages)), "no prefix sharing here: each held page has one holder");
                }
            }
        }

        /// <summary>What the host shows, as text: clock, each replica's last batch, queues and page map.</summary>
        static string Shown(SimulationHost host)
        {
            var text = new System.Text.StringBuilder("t=" + host.NowS.ToString("R") + " steps=" + host.Steps + "\n");
            for (int r = 0; r < host.ReplicaCount; r++)
            {
                IterationView? last = host.LastIteration(r);
                text.Append(r).Append(" last ").Append(last == null ? "-" : last.Iteration + ":" + string.Join(",", last.Sequences.Select(q => q.RequestId + "/" + q.NewTokens)));
                text.Append(" waiting ").Append(string.Join(",", host.Waiting(r).Select(q => q.Id + "/" + q.ComputedTokens)));
                text.Append(" running ").Append(string.Join(",", host.Running(r).Select(q => q.Id + "/" + q.ComputedTokens)));
                text.Append(" pages ").Append(string.Join("", host.Pages(r).Select(p => p.Use + ":" + p.Owner + ";"))).Append('\n');
            }
            return text.ToString();
        }

        [TestCase(0)]
        [TestCase(25)]
        public void RewindingShowsExactlyWhatTheRunShowedThenAndRunsOnTheSame(int rewindEvery)
        {
            using var reference = new SimulationHost(SceneOf(Crowded));
            reference.RunUntil(h => h.Steps >= 130);
            string at130 = Shown(reference);

            using var host = new SimulationHost(SceneOf(Crowded)) { RewindEvery = rewindEvery };
            host.RunUntil(h => h.Steps >= 300);
            host.RewindTo(130);
            Assert.That(Shown(host), Is.EqualTo(at130));
            host.RewindToTime(reference.NowS);
            Assert.That(Shown(host), Is.EqualTo(at130), "the first step at or after that time is step 130");
            host.StepFor(TimeSpan.FromMinutes(1));
            Assert.That(host.Simulation.Log.Records.ToArray(), Is.EqualTo(Uninterrupted(SceneOf(Crowded))));
        }

        [Test]
        public void ASnapshotMovesBetweenHostsOfTheSameScene()
        {
            using var first = new SimulationHost(SceneOf(Caching));
            first.RunUntil(h => h.Steps >= 200);
            using var second = new SimulationHost(SceneOf(Caching));
            second.Restore(first.Snapshot());
            Assert.That(Shown(second), Is.EqualTo(Shown(first)));
            var iterations = new List<IterationView>();
            second.IterationDone += iterations.Add;
            second.StepIteration(0);
            first.StepIteration(0);
            Assert.That(iterations.Last().Iteration, Is.EqualTo(first.LastIteration(0)!.Iteration));
            Assert.That(Shown(second), Is.EqualTo(Shown(first)));
        }

        [Test]
        public void InTokenModeEachRequestShowsItsResidentTokens()
        {
            using var host = new SimulationHost(SceneOf(Crowded.Replace("kv: { capacity_tokens: 3000 }",
                "kv: { capacity_tokens: 6000, token_level: true, compression: { policy: h2o, budget_tokens: 128, recent_tokens: 16 } }")));
            host.RunUntil(h => h.Steps >= 150);
            var requests = Enumerable.Range(0, host.ReplicaCount).SelectMany(r => host.Running(r).Concat(host.Waiting(r))).ToList();
            int tokenEntities = host.Simulation.World.CountEntities(new Sim.Core.Ecs.QueryDescription().WithAll<Sim.Core.Components.KvToken>());
            Assert.That(tokenEntities, Is.GreaterThan(0));
            Assert.That(requests.Where(r => r.ResidentTokens > 0).Sum(r => r.ResidentTokens), Is.EqualTo(tokenEntities), "every token entity belongs to one shown request");
            Assert.That(requests.Sum(r => r.EvictedTokens), Is.GreaterThan(0), "a 128-token budget evicts");
            using var plain = new SimulationHost(SceneOf(Crowded));
            plain.RunUntil(h => h.Steps >= 50);
            Assert.That(plain.Running(0).Select(r => r.ResidentTokens), Is.All.EqualTo(-1));
        }

        [Test]
        public void CachedBlockEvictionsAreReportedAsTheyHappen()
        {
            using var host = new SimulationHost(SceneOf(Caching));
            long blocks = 0;
            int events = 0;
            host.Evicted += e =>
            {
                Assert.That(e.Replica, Is.EqualTo(0));
                blocks += e.Blocks;
                events++;
            };
            host.StepFor(TimeSpan.FromMinutes(1));
            Assert.That(events, Is.GreaterThan(0));
            Assert.That(blocks, Is.EqualTo(host.Simulation.Cluster.Replicas[0].Kv.Prefix!.Evictions));
            Assert.That(host.Pages(0).Count(p => p.Use == PageUse.Cached), Is.GreaterThan(0), "cached blocks outlive their requests");
        }
    }
}
