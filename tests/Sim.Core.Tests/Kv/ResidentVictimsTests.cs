using System;
using System.Collections.Generic;
using CsCheck;
using NUnit.Framework;
using Sim.Core.Components;
using Sim.Core.Compute;
using Sim.Core.Ecs;
using Sim.Core.Kv;

namespace Sim.Core.Tests.Kv
{
    /// <summary>
    /// A prefix cache whose victims a resident block family orders (one listing of the k lowest, taken in order, skipping
    /// blocks held again, compared with blocks entered since) evicts exactly what the same cache with its own heap evicts,
    /// whatever the sequence of prompts held (hits, new blocks), releases (while scheduling, or collected and scored
    /// together as the complete phase does, which ends a step) and evictions, one or several at a time within a step; for
    /// size-aware eviction too, whose scores keep the inflation of each block's entry and whose inflation is the victim's
    /// score. Short first listings make lists run out and be made again, twice as long.
    /// </summary>
    public class ResidentVictimsTests
    {
        const int Pages = 24; // 512-token pages: one a block

        [TestCase(EvictionPolicy.Lru, 1)]
        [TestCase(EvictionPolicy.Lfu, 2)]
        [TestCase(EvictionPolicy.Fifo, 1)]
        [TestCase(EvictionPolicy.SizeAware, 1)]
        [TestCase(EvictionPolicy.SizeAware, 3)]
        [TestCase(EvictionPolicy.Lru, ResidentVictims.FirstListing)]
        public void TheResidentFamilysVictimsAreThePrefixCaches(EvictionPolicy policy, int firstListing)
        {
            long listings = 0, evictions = 0, steps = 0;
            Gen.Select(Gen.Int[0, 4], Gen.Int[0, 7], Gen.Int[0, 5]).Array[1, 300].Sample(operations =>
            {
                var heap = new Cache(policy, null);
                var family = new Cache(policy, new CpuResidentBlocks(Pages, policy), firstListing);
                double nowS = 0;
                foreach ((int op, int a, int b) in operations)
                {
                    nowS += 1;
                    switch (op)
                    {
                        case 0: // a prompt of b + 1 whole blocks on root a (prompts on one root share their leading blocks)
                            Assert.That(family.Prompt(a, b + 1, nowS), Is.EqualTo(heap.Prompt(a, b + 1, nowS)), "the prompt fits both or neither");
                            break;
                        case 1: // a release while scheduling (a preemption): evictable at once, scored at the next eviction
                        case 2: // a release in the complete phase, which ends the step: collected, then scored in one call
                            heap.Release(a, op == 2, nowS);
                            family.Release(a, op == 2, nowS);
                            if (op == 2) steps++;
                            break;
                        default: // b + 1 evictions at once (as many as there are evictable blocks)
                        {
                            int count = Math.Min(b + 1, heap.Prefix.EvictablePages / heap.Prefix.PagesPerBlock);
                            for (int i = 0; i < count; i++)
                                Assert.That(family.EvictOne(nowS), Is.EqualTo(heap.EvictOne(nowS)), "eviction " + (heap.Prefix.Evictions + 1));
                            break;
                        }
                    }
                    Assert.That(family.Prefix.EvictablePages, Is.EqualTo(heap.Prefix.EvictablePages));
                    Assert.That(family.Pool.FreePages, Is.EqualTo(heap.Pool.FreePages));
                    Assert.That(BitConverter.DoubleToInt64Bits(((IAwaitingScores)family.Prefix).InflationScore),
                        Is.EqualTo(BitConverter.DoubleToInt64Bits(((IAwaitingScores)heap.Prefix).InflationScore)), "the inflation: the last victim's score");
                    Assert.That(family.Prefix.IndexMatchesPages(out string problem), Is.True, problem);
                }
                listings += family.Prefix.VictimListings;
                evictions += heap.Prefix.Evictions;
                Assert.That(heap.Prefix.VictimListings, Is.Zero);
                family.Prefix.Dispose();
            });
            TestContext.WriteLine(policy + ", first listing " + firstListing + ": " + evictions + " evictions, " + listings + " listings, " + steps + " steps");
            Assert.That(evictions, Is.GreaterThan(1000), "the caches evicted");
            Assert.That(listings, Is.GreaterThan(0).And.LessThan(evictions), "a listing serves several evictions");
        }

        /// <summary>One replica's pool and prefix cache and the prompts it holds, driven as the simulator drives them.</summary>
        sealed class Cache
        {
            readonly List<KvPageTable> _held = new List<KvPageTable>();

            public Cache(EvictionPolicy policy, IResidentBlocks? family, int firstListing = ResidentVictims.FirstListing)
            {
                Pool = new KvBlockPool(new World(), 0, Pages, 512);
                Pool.EnablePrefixCache(policy, CpuBackend.Instance, 1000, null, null);
                if (family != null) Prefix.TakeVictimsFrom(family, firstListing);
            }

            public KvBlockPool Pool { get; }

            public PrefixCache Prefix => Pool.Prefix!;

            /// <summary>Holds a prompt of <paramref name="blocks"/> blocks on root <paramref name="root"/>; false when it does not fit.</summary>
            public bool Prompt(int root, int blocks, double nowS)
            {
                var hashIds = new int[blocks + 1];
                for (int i = 0; i < blocks; i++) hashIds[i] = root * 10 + i + 1;
                int tokens = blocks * 512 + 1;
                PrefixMatch match = Prefix.Match(hashIds, tokens);
                KvPageTable table = KvBlockPool.EmptyTable;
                if (!Pool.TryReserve(ref table, tokens, match, hashIds, nowS, out ulong lastKey)) return false;
                int cached = match.Blocks;
                Prefix.RegisterComputed(table, hashIds, tokens, tokens, ref cached, ref lastKey, nowS);
                _held.Add(table);
                return true;
            }

            public void Release(int which, bool completePhase, double nowS)
            {
                if (_held.Count == 0) return;
                KvPageTable table = _held[which % _held.Count];
                _held.RemoveAt(which % _held.Count);
                if (completePhase) Prefix.CollectReleased();
                Pool.Release(ref table, nowS);
                if (completePhase) ScoreCollected(Prefix);
            }

            /// <summary>Exactly one eviction (the empty pages and one more, then given back); the evicted block, which tops the unused stack.</summary>
            public int EvictOne(double nowS)
            {
                KvPageTable table = KvBlockPool.EmptyTable;
                Assert.That(Pool.TryReserve(ref table, (Pool.FreePages - Prefix.EvictablePages + 1) * 512), Is.True);
                int evicted = Pool.Header.FreeBlock;
                Pool.Release(ref table, nowS);
                return evicted;
            }
        }

        /// <summary>What Systems/ReleaseScoringSystem does with one cache: the awaiting blocks scored in one call and entered.</summary>
        static void ScoreCollected(PrefixCache prefix)
        {
            IAwaitingScores awaiting = prefix;
            var usage = new BlockUsage[awaiting.AwaitingCount];
            var scores = new double[usage.Length];
            awaiting.WriteAwaitingUsage(usage);
            CpuBackend.Instance.ScoreEviction(prefix.Policy, usage, awaiting.InflationScore, scores);
            awaiting.EnterScored(scores);
        }
    }
}
