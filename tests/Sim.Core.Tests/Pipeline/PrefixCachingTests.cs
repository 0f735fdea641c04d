using System.Collections.Generic;
using NUnit.Framework;
using Sim.Core.Compute;
using Sim.Core.Kv;
using Sim.Core.Metrics;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Core.Tests.Support;
using Sim.Core.Trace;

namespace Sim.Core.Tests.Pipeline
{
    /// <summary>Prefix caching through whole runs: timelines worked out by hand (10 ms + 1 ms a token), and a trace-stats replay as a second implementation.</summary>
    public class PrefixCachingTests
    {
        const double Tolerance = 1e-12;

        // Llama-2-7B keeps 32 layers x 2 x 4096 fp16 values = 512 KiB of KV a token: 8 MiB a 16-token page.
        const double PageBytes = 16 * 524288.0;

        static TraceRequest Hashed(long id, double arrivalS, int promptTokens, int outputTokens, params int[] hashIds)
        {
            TraceRequest request = TestScenes.Request(id, arrivalS, promptTokens, outputTokens);
            request.HashIds = hashIds;
            return request;
        }

        static Simulation Run(Scene scene, IIterationSink? sink, params TraceRequest[] requests) => Run(scene, sink, null, requests);

        static Simulation Run(Scene scene, IIterationSink? sink, IComputeBackend? backend, params TraceRequest[] requests)
        {
            scene.PrefixCaching = true;
            var simulation = new Simulation(scene, new List<TraceRequest>(requests), requests.Length, "test", sink, new LinearPerfModel(0.010, 0.001), backend: backend);
            simulation.Run();
            return simulation;
        }

        [Test]
        public void ASharedPrefixIsComputedOnce()
        {
            // A (1030 tokens, blocks 1,2,3) computes everything: 1.040 s to its first token. Its two whole 512-token
            // blocks are cached (block 3 has only 6 tokens). B (blocks 1,2,4) at t=10 reuses those 1024 tokens and
            // computes 6: first token after 0.016 s.
            var counter = new PrefillCounter();
            Simulation run = Run(TestScenes.Small(), counter,
                Hashed(0, 0, 1030, 2, 1, 2, 3),
                Hashed(1, 10, 1030, 2, 1, 2, 4));
            RequestLog log = run.Log;
            Assert.That(log[0].TtftS, Is.EqualTo(1.040).Within(Tolerance));
            Assert.That((log[0].PrefixHitTokens, log[1].PrefixHitTokens), Is.EqualTo((0, 1024)));
            Assert.That(log[1].TtftS, Is.EqualTo(0.016).Within(Tolerance));
            Assert.That(counter.PrefillTokens, Is.EqualTo(1030 + 6), "prefill work falls by the hit tokens");
        }

        [Test]
        public void AHitBelowHbmWaitsForItsCopy()
        {
            // 80 pages of HBM. A leaves two cached 512-token blocks (64 pages); C (1200 unhashed tokens, 75 pages) takes
            // the 16 empty pages and evicts both blocks to host DRAM, the deeper first. B then copies both up at 32 GB/s
            // (one A100's PCIe) before computing its 6 tokens.
            Scene scene = TestScenes.Small(kvCapacityTokens: 80 * 16);
            scene.HostTier = new MemoryTier { CapacityBytes = 1L << 40, BandwidthBytesPerS = 32e9 };
            Simulation run = Run(scene, null,
                Hashed(0, 0, 1030, 2, 1, 2, 3),
                TestScenes.Request(1, 5, 1200, 1),
                Hashed(2, 10, 1030, 2, 1, 2, 4));
            RequestRecord b = run.Log[2];
            Assert.That((b.PrefixHitTokens, b.HostHitTokens, b.SsdHitTokens), Is.EqualTo((1024, 1024, 0)));
            Assert.That(b.TtftS, Is.EqualTo(0.016 + 64 * PageBytes / 32e9).Within(Tolerance));
        }

        [Test]
        public void AnUnboundedCacheReachesTheTraceStatsHitRatio()
        {
            // Requests far apart (each ends before the next), in one of 5 prefix families of 1-4 shared blocks, then 1-3
            // blocks of their own ending in a partial block: the trace-stats replay of an unbounded cache counts the
            // same hit tokens as the simulator, since no prompt is ever wholly cached.
            var rng = new DeterministicRng(7);
            var requests = new List<TraceRequest>();
            var stats = new PrefixBlockCache(null);
            int nextUniqueId = 1000;
            for (int id = 0; id < 60; id++)
            {
                int family = (int)(rng.NextUInt64() % 5), shared = 1 + family % 4, own = 1 + (int)(rng.NextUInt64() % 3);
                var hashIds = new int[shared + own];
                for (int i = 0; i < shared; i++) hashIds[i] = family * 10 + i;
                for (int i = shared; i < hashIds.Length; i++) hashIds[i] = nextUniqueId++;
                int promptTokens = hashIds.Length * 512 - 100;
                requests.Add(Hashed(id, id * 100.0, promptTokens, 3, hashIds));
                stats.Add(hashIds, promptTokens);
            }
            Scene scene = TestScenes.Small(kvCapacityTokens: 1 << 20);
            RunSummary summary = SummaryBuilder.Build(Run(scene, null, requests.ToArray()), "cpu", 0);
            Assert.That(stats.HitTokens, Is.GreaterThan(0));
            Assert.That(summary.PrefixHitTokens, Is.EqualTo(stats.HitTokens));
            Assert.That(summary.PromptTokens, Is.EqualTo(stats.PromptTokens));
        }

        [TestCase("round-robin", 6)]
        [TestCase("prefix-aware", 9)]
        public void PrefixAwareRoutingFindsTheReplicaHoldingThePrefix(string router, int hits)
        {
            // Twelve requests far apart, cycling through three prompt families (two shared blocks, then a partial block
            // of their own) over two replicas. Round-robin pairs family i % 3 with replica i % 2, so each of the six
            // pairs misses once: 6 hits. Prefix-aware sends each family where its prefix is: 3 misses, 9 hits.
            var requests = new List<TraceRequest>();
            for (int id = 0; id < 12; id++)
            {
                int family = id % 3;
                requests.Add(Hashed(id, id * 100.0, 3 * 512 - 100, 2, family * 10, family * 10 + 1, 1000 + id));
            }
            Scene scene = TestScenes.Small();
            scene.Replicas = 2;
            scene.Router = router;
            RunSummary summary = SummaryBuilder.Build(Run(scene, null, requests.ToArray()), "cpu", 0);
            Assert.That(summary.PrefixHitTokens, Is.EqualTo(hits * 1024));
        }

        [TestCase(EvictionPolicy.Lru)]
        [TestCase(EvictionPolicy.Lfu)]
        [TestCase(EvictionPolicy.Fifo)]
        [TestCase(EvictionPolicy.SizeAware)]
        public void CrowdedCacheKeepsItsInvariantsAndRepeatsItself(EvictionPolicy policy)
        {
            RunSummary first = SummaryBuilder.Build(Crowded(policy, null), "cpu", 0), second = SummaryBuilder.Build(Crowded(policy, null), "cpu", 0);
            Assert.That(first.RequestsCompleted, Is.EqualTo(300));
            Assert.That(first.PrefixHitTokens, Is.GreaterThan(0));
            Assert.That(first.HostHitTokens + first.SsdHitTokens, Is.GreaterThan(0), "some hits came up from a lower tier");
            Assert.That(first.Preemptions, Is.GreaterThan(0));
            Assert.That((second.PrefixHitTokens, second.HostHitTokens, second.Iterations, second.MakespanS), Is.EqualTo((first.PrefixHitTokens, first.HostHitTokens, first.Iterations, first.MakespanS)));
        }

        [TestCase(EvictionPolicy.Lru)]
        [TestCase(EvictionPolicy.Lfu)]
        [TestCase(EvictionPolicy.Fifo)]
        [TestCase(EvictionPolicy.SizeAware)]
        public void VictimsFromTheResidentFamilyGiveTheHeapsRun(EvictionPolicy policy)
        {
            // The crowded tier scene with its caches' victims named by the resident block family (the CPU reference standing
            // in for a device, as the Vulkan backend's does): every request, eviction and tier move as with the caches' heaps.
            using Simulation heap = Crowded(policy, null), family = Crowded(policy, new ResidentCpuBackend());
            Assert.That(family.Log.Records.ToArray(), Is.EqualTo(heap.Log.Records.ToArray()));
            Assert.That(family.Steps, Is.EqualTo(heap.Steps));
            long[] Each(Simulation run, System.Func<PrefixCache, long> of) => System.Array.ConvertAll(run.Cluster.Replicas, r => of(r.Kv.Prefix!));
            long Sum(Simulation run, System.Func<PrefixCache, long> of) => System.Linq.Enumerable.Sum(Each(run, of));
            Assert.That(Each(family, p => p.Evictions), Is.EqualTo(Each(heap, p => p.Evictions)));
            Assert.That(Sum(heap, p => p.Evictions), Is.GreaterThan(100));
            Assert.That(Each(family, p => p.Host!.Blocks), Is.EqualTo(Each(heap, p => p.Host!.Blocks)));
            Assert.That(Each(family, p => p.Ssd!.Blocks), Is.EqualTo(Each(heap, p => p.Ssd!.Blocks)));
            Assert.That(Sum(heap, p => p.VictimListings), Is.Zero);
            long listings = Sum(family, p => p.VictimListings), relistings = Sum(family, p => p.VictimRelistings);
            TestContext.WriteLine(policy + ": " + Sum(heap, p => p.Evictions) + " evictions, " + listings + " listings (" + relistings + " made again)");
            Assert.That(listings, Is.GreaterThan(0).And.LessThan(Sum(heap, p => p.Evictions)));
        }

        /// <summary>
        /// 300 requests in 6 prefix families on two replicas with room for ~6 prompts each and a small host and SSD tier:
        /// eviction, demotion, copy-up, sharing and preemption all happen while every invariant is checked.
        /// </summary>
        static Simulation Crowded(EvictionPolicy policy, IComputeBackend? backend)
        {
            var rng = new DeterministicRng(5);
            var requests = new List<TraceRequest>();
            for (int id = 0; id < 300; id++)
                requests.Add(TestScenes.Request(id, id * 0.05, 600 + rng.NextInt(2400), 1 + rng.NextInt(60)));
            var prefixes = new SharedPrefixModel { Groups = 6, PrefixTokens = 1536, Fraction = 0.9 };
            Scene scene = TestScenes.Small(kvCapacityTokens: 16384);
            scene.Replicas = 2;
            scene.Router = "prefix-aware";
            scene.Eviction = policy;
            scene.HostTier = new MemoryTier { CapacityBytes = 12 * 8 * 1048576L * 32, BandwidthBytesPerS = 32e9 };
            scene.SsdTier = new MemoryTier { CapacityBytes = 24 * 8 * 1048576L * 32, BandwidthBytesPerS = 3e9 };
            var hashed = new List<TraceRequest>(prefixes.Apply(requests, 9));
            return Run(scene, null, backend, hashed.ToArray());
        }
    }
}
