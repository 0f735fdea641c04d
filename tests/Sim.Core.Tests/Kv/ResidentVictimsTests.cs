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
    /// The resident block family, mirroring a prefix cache's evictable blocks (usage and entry order), names the same
    /// victims as the cache's own eviction order, whatever the sequence of prompts held, hits, releases (while
    /// scheduling, or collected and scored together as the complete phase does) and evictions; for size-aware eviction
    /// too, whose scores keep the inflation of each block's entry.
    /// </summary>
    public class ResidentVictimsTests
    {
        const int Pages = 8; // 512-token pages: one a block

        [TestCase(EvictionPolicy.Lru)]
        [TestCase(EvictionPolicy.Lfu)]
        [TestCase(EvictionPolicy.Fifo)]
        [TestCase(EvictionPolicy.SizeAware)]
        public void TheResidentFamilysVictimsAreThePrefixCaches(EvictionPolicy policy)
        {
            Gen.Select(Gen.Int[0, 3], Gen.Int[0, 5], Gen.Int[0, 2]).Array[1, 200].Sample(operations =>
            {
                var pool = new KvBlockPool(new World(), 0, Pages, 512);
                pool.EnablePrefixCache(policy, CpuBackend.Instance, 1000, null, null);
                PrefixCache prefix = pool.Prefix!;
                using var resident = new CpuResidentBlocks(Pages, policy);
                prefix.MirrorInto(resident);
                var held = new List<KvPageTable>();
                var victim = new int[1];
                double nowS = 0;
                foreach ((int op, int a, int b) in operations)
                {
                    nowS += 1;
                    switch (op)
                    {
                        case 0: // a prompt of b + 1 whole blocks on root a (prompts on one root share their leading blocks)
                        {
                            int blocks = b + 1;
                            var hashIds = new int[blocks + 1];
                            for (int i = 0; i < blocks; i++) hashIds[i] = a * 10 + i + 1;
                            int tokens = blocks * 512 + 1;
                            PrefixMatch match = prefix.Match(hashIds, tokens);
                            KvPageTable table = KvBlockPool.EmptyTable;
                            if (!pool.TryReserve(ref table, tokens, match, hashIds, nowS, out ulong lastKey)) break;
                            int cached = match.Blocks;
                            prefix.RegisterComputed(table, hashIds, tokens, tokens, ref cached, ref lastKey, nowS);
                            held.Add(table);
                            break;
                        }
                        case 1: // a release while scheduling (a preemption): evictable at once, scored at the next eviction
                        case 2: // a release in the complete phase: collected, then scored in one call with the step's others
                        {
                            if (held.Count == 0) break;
                            KvPageTable table = held[a % held.Count];
                            held.RemoveAt(a % held.Count);
                            if (op == 2) prefix.CollectReleased();
                            pool.Release(ref table, nowS);
                            if (op == 2) ScoreCollected(prefix);
                            break;
                        }
                        default: // exactly one eviction: the empty pages and one more
                        {
                            if (prefix.EvictablePages == 0) break;
                            resident.Step(victim);
                            KvPageTable table = KvBlockPool.EmptyTable;
                            Assert.That(pool.TryReserve(ref table, (pool.FreePages - prefix.EvictablePages + 1) * 512), Is.True);
                            Assert.That(pool.Header.FreeBlock, Is.EqualTo(victim[0]), "the evicted block tops the unused stack");
                            pool.Release(ref table, nowS);
                            break;
                        }
                    }
                    Assert.That(resident.Evictable * prefix.PagesPerBlock, Is.EqualTo(prefix.EvictablePages), "the mirror holds the evictable blocks");
                }
            });
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
