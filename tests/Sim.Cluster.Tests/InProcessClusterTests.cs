using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;
using Orleans.Hosting;
using Orleans.TestingHost;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Headless.Cluster;
using Sim.Headless.Commands;
using Sim.Headless.Studies;

namespace Sim.Cluster.Tests
{
    /// <summary>Three workers in one process (Orleans' test cluster), each running one point at a time, against the local runs.</summary>
    [NonParallelizable]
    public class InProcessClusterTests
    {
        static string _root = "";
        TestCluster _cluster = null!;
        SweepFixture _fixture = null!;
        Dictionary<string, byte[]> _local = null!;

        /// <summary>Each silo a worker with one slot and a trace cache of its own.</summary>
        public sealed class WorkerConfigurator : ISiloConfigurator
        {
            public void Configure(ISiloBuilder silo) =>
                WorkerSilo.AddWorkerServices(silo, new WorkerOptions { Slots = 1, CacheDir = Path.Combine(_root, "worker-" + Guid.NewGuid().ToString("N")) });
        }

        [OneTimeSetUp]
        public async Task StartCluster()
        {
            _root = Path.Combine(TestContext.CurrentContext.TestDirectory, "cluster-tests", Guid.NewGuid().ToString("N"));
            _fixture = new SweepFixture(Path.Combine(_root, "sweep"), 150, "  scheduler.policy: [vllm, sarathi, orca]\n  cluster.replicas: [1, 2]\n  workload.time_scale: [0.5, 1]\n");
            _local = _fixture.Outputs(_fixture.RunLocally(), "local");
            var builder = new TestClusterBuilder(3);
            builder.AddSiloBuilderConfigurator<WorkerConfigurator>();
            _cluster = builder.Build();
            await _cluster.DeployAsync();
        }

        [OneTimeTearDown]
        public async Task StopCluster()
        {
            await _cluster.DisposeAsync();
            Directory.Delete(_root, true);
        }

        ClusterScheduler Scheduler(StringWriter log, string? version = null) =>
            new ClusterScheduler(_cluster.Client, new TraceServer(), new ClusterProgress(log, interactive: false), log, version);

        IEnumerable<T> WorkerServices<T>() where T : notnull =>
            _cluster.Silos.OfType<InProcessSiloHandle>().Select(s => s.SiloHost.Services.GetRequiredService<T>());

        [Test, Order(1)]
        public async Task TheSweepWritesTheLocalOutputsAndEachWorkerFetchesTheTraceOnce()
        {
            var log = new StringWriter();
            ClusterScheduler scheduler = Scheduler(log);
            PointResult[] results = await ClusterSweep.Run(scheduler, _fixture.Sweep, _fixture.Points, _fixture.Scenes, Path.Combine(_root, "out-1"), resume: false);

            Assert.That(_fixture.Outputs(results, "cluster-1"), Is.EqualTo(_local), log.ToString());
            Assert.That(log.ToString(), Does.Contain("joined with 1 slots"));
            Assert.That(scheduler.Progress.Done, Is.EqualTo(12));
            // 12 points over 3 workers: the trace went whole, once, to each worker that ran a point.
            int fetched = WorkerServices<WorkerTraceFiles>().Sum(c => c.Fetched);
            Assert.That(fetched, Is.InRange(1, 3));
            Assert.That(scheduler.Traces.ServedBytes, Is.EqualTo(fetched * new FileInfo(_fixture.TracePath).Length));
        }

        [Test, Order(2)]
        public async Task ResumeRunsOnlyThePointsMissingFromTheOutputFolder()
        {
            string outDir = Path.Combine(_root, "out-2");
            await ClusterSweep.Run(Scheduler(new StringWriter()), _fixture.Sweep, _fixture.Points, _fixture.Scenes, outDir, resume: false);
            string[] kept = Directory.GetFiles(Path.Combine(outDir, "points"), "*.point").OrderBy(f => f).ToArray();
            Assert.That(kept, Has.Length.EqualTo(12));
            foreach (string file in kept.Where((_, i) => i % 3 == 0)) File.Delete(file);

            var log = new StringWriter();
            ClusterScheduler scheduler = Scheduler(log);
            PointResult[] results = await ClusterSweep.Run(scheduler, _fixture.Sweep, _fixture.Points, _fixture.Scenes, outDir, resume: true);

            Assert.That(scheduler.Progress.Total, Is.EqualTo(4));
            Assert.That(scheduler.Progress.Done, Is.EqualTo(4));
            Assert.That(_fixture.Outputs(results, "cluster-2"), Is.EqualTo(_local), log.ToString());
        }

        [Test, Order(3)]
        public void WorkersOfAnotherBuildAreRefusedWithOneLineEach()
        {
            var log = new StringWriter();
            ClusterScheduler scheduler = Scheduler(log, version: "0.0.0+another");
            scheduler.NoWorkerTimeout = TimeSpan.FromSeconds(2);

            var error = Assert.ThrowsAsync<ClusterException>(() => ClusterSweep.Run(scheduler, _fixture.Sweep, _fixture.Points, _fixture.Scenes, Path.Combine(_root, "out-3"), resume: false));

            Assert.That(error!.Message, Does.StartWith("no usable worker"));
            string[] refusals = log.ToString().Split('\n').Where(l => l.Contains("refused worker")).ToArray();
            Assert.That(refusals, Has.Length.EqualTo(3));
            Assert.That(refusals[0], Does.Contain("version " + WorkerOptions.BuildVersion() + ", this client is 0.0.0+another"));
            Assert.That(scheduler.Progress.Done + scheduler.Progress.Running, Is.EqualTo(0));
        }

        [Test, Order(4)]
        public void TheCapacitySearchFindsTheLocalAnswer()
        {
            var settings = new CapacityCommand.Settings { ScenePath = _fixture.ScenePath, Requests = 150 };
            IReadOnlyList<SloTarget> slo = SloTarget.ParseList("ttft_p99=0.5");
            CapacityResult local = CapacitySearch.Run(scale =>
            {
                Scene scene = settings.LoadScene();
                scene.TimeScale = scale;
                return SceneRun.Summarize(scene, "cpu");
            }, slo, 0.02);

            ClusterScheduler scheduler = Scheduler(new StringWriter());
            PointJob template = ClusterCapacityProbes.Template(settings, settings.LoadScene(), scheduler.Traces);
            CapacityResult cluster = ClusterCapacity.Run(scheduler, template, slo, 0.02);

            Assert.That(local.Met, Is.True);
            Assert.That(cluster.Scale, Is.EqualTo(local.Scale));
            Assert.That(cluster.Runs, Is.EqualTo(local.Runs));
            Assert.That(cluster.FailingScale, Is.EqualTo(local.FailingScale));
            Assert.That(cluster.AtScale.TtftS.P99, Is.EqualTo(local.AtScale.TtftS.P99));
            Assert.That(cluster.Limiting!.Key, Is.EqualTo(local.Limiting!.Key));
            // Three one-slot workers: one step ahead (3 probes at a time), so more probes ran than the search used.
            Assert.That(scheduler.Progress.Done, Is.GreaterThan(local.Runs));
        }

        [Test, Order(5)]
        public async Task AWorkerStoppedMidSweepChangesNothingAndCountsNothingTwice()
        {
            var log = new StringWriter();
            ClusterScheduler scheduler = Scheduler(log);
            string outDir = Path.Combine(_root, "out-5");
            Task<PointResult[]> sweep = ClusterSweep.Run(scheduler, _fixture.Sweep, _fixture.Points, _fixture.Scenes, outDir, resume: false);
            // Stop the third worker while it holds a point (its one slot taken) and a few points are in. In one process a
            // stop lets the running point finish; a killed process loses it (docs/CLUSTER.md measures that case).
            var victim = (InProcessSiloHandle)_cluster.Silos[2];
            WorkerSlots victimSlots = victim.SiloHost.Services.GetRequiredService<WorkerSlots>();
            while (!(scheduler.Progress.Done >= 2 && victimSlots.Gate.CurrentCount == 0) && !sweep.IsCompleted) await Task.Delay(5);
            Assert.That(sweep.IsCompleted, Is.False, "the sweep ended before the worker could be stopped");
            await _cluster.KillSiloAsync(victim);

            PointResult[] results = await sweep;

            Assert.That(_fixture.Outputs(results, "cluster-5"), Is.EqualTo(_local), log.ToString());
            Assert.That(scheduler.Progress.Done, Is.EqualTo(12));
            Assert.That(Directory.GetFiles(Path.Combine(outDir, "points"), "*.point"), Has.Length.EqualTo(12));
        }
    }
}
