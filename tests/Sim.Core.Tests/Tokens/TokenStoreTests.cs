using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Sim.Core.Components;
using Sim.Core.Compute;
using Sim.Core.Ecs;
using Sim.Core.Kv;
using Sim.Core.Tokens;

namespace Sim.Core.Tests.Tokens
{
    /// <summary>One sequence driven step by step through the token store: a prefill, then decodes, on 16-token pages.</summary>
    public class TokenStoreTests
    {
        const int BlockTokens = 16;

        sealed class Run
        {
            public readonly World World = new World();
            public readonly KvBlockPool Pool;
            public readonly TokenStore Store;
            public readonly AttentionModel Attention;
            public KvPageTable Table = KvBlockPool.EmptyTable;
            public readonly int Slot;

            public Run(KvCompression compression, AttentionModel? attention = null)
            {
                Pool = new KvBlockPool(World, 0, 1000, BlockTokens);
                Attention = (attention ?? new AttentionModel()).WithSeed(7);
                Store = new TokenStore(World, Attention, compression, CpuBackend.Instance);
                Slot = Store.Open(requestId: 3);
            }

            /// <summary>Prefills <paramref name="prompt"/> tokens in one iteration, then decodes <paramref name="decodes"/> more.</summary>
            public Run Serve(int prompt, int decodes)
            {
                Step(0, prompt);
                for (int position = prompt; position < prompt + decodes; position++) Step(position, position + 1);
                return this;
            }

            void Step(int from, int to)
            {
                Assert.That(Pool.TryReserve(ref Table, to), Is.True);
                Store.Advance(Slot, from, to, emitsToken: true, ref Table, Pool, 0.01);
                CheckPages(to);
            }

            /// <summary>Pages held are exactly the written pages with a full-precision resident token, plus the packed pages.</summary>
            void CheckPages(int positions)
            {
                var withTokens = new HashSet<int>(ResidentPositions(bits: 16).Select(p => p / BlockTokens));
                int lastPage = (positions - 1) / BlockTokens;
                for (int page = 0; page <= lastPage; page++)
                {
                    bool held = Table.Pages[page] >= 0;
                    bool shouldHold = withTokens.Contains(page) || (page + 1) * BlockTokens > positions;
                    Assert.That(held, Is.EqualTo(shouldHold), "page " + page + " of " + positions + " positions");
                }
                Assert.That(Pool.UsedPages, Is.EqualTo(Table.Pages.Take(Table.PageCount).Count(p => p >= 0) + Table.PackedCount));
            }

            /// <summary>Positions of resident tokens (of every precision, or only those stored at <paramref name="bits"/>).</summary>
            public int[] ResidentPositions(int bits = 0)
            {
                var positions = new List<int>();
                World.Query(new QueryDescription().WithAll<KvToken>(), (ref KvToken token) =>
                {
                    if (bits == 0 || token.Bits == bits) positions.Add(token.Position);
                });
                positions.Sort();
                return positions.ToArray();
            }
        }

        [Test]
        public void WindowKeepsExactlyTheLastTokensAndFreesTheirPages()
        {
            var run = new Run(new KvCompression { Policy = CompressionPolicy.Window, BudgetTokens = 40 }).Serve(prompt: 100, decodes: 30);
            Assert.That(run.ResidentPositions(), Is.EqualTo(Enumerable.Range(130 - 40, 40)));
            // Positions 90..129 sit on pages 5..8; pages 0..4 are free.
            Assert.That(run.Pool.UsedPages, Is.EqualTo(4));
            Assert.That(run.Store.Stats.TokensEvicted, Is.EqualTo(130 - 40));
        }

        [Test]
        public void StreamingKeepsTheSinksAndTheMostRecent()
        {
            var run = new Run(new KvCompression { Policy = CompressionPolicy.Streaming, BudgetTokens = 20, Sinks = 4 }).Serve(prompt: 50, decodes: 10);
            Assert.That(run.ResidentPositions(), Is.EqualTo(Enumerable.Range(0, 4).Concat(Enumerable.Range(60 - 16, 16))));
        }

        [Test]
        public void WithABudgetOfEverythingEveryPolicyIsFull()
        {
            foreach (CompressionPolicy policy in new[] { CompressionPolicy.Window, CompressionPolicy.Streaming, CompressionPolicy.H2o, CompressionPolicy.SnapKv, CompressionPolicy.Lazy, CompressionPolicy.Cake, CompressionPolicy.Mikv })
            {
                var run = new Run(new KvCompression { Policy = policy, BudgetTokens = 1000, RecentTokens = 8, ObservationWindow = 8 }).Serve(prompt: 60, decodes: 20);
                Assert.That(run.ResidentPositions(), Is.EqualTo(Enumerable.Range(0, 80)), policy.ToString());
                Assert.That(run.Store.Stats.RetainedMass.Count, Is.EqualTo(20));
                Assert.That(run.Store.Stats.RetainedMass.Min, Is.EqualTo(1).Within(1e-5), policy + ": all the attention mass stays");
            }
        }

        [Test]
        public void H2oKeepsPlantedHeavyHittersAndRetainsMoreMassThanWindow()
        {
            // 300 positions, about 5% heavy hitters whose keys align with every query; budget 64 with 32 recent.
            var attention = new AttentionModel { Sinks = 0, HeavyHitterShare = 0.05, HeavyHitterStrength = 3, RecencyDecayPerToken = 0.002f };
            var h2o = new Run(new KvCompression { Policy = CompressionPolicy.H2o, BudgetTokens = 64, RecentTokens = 32 }, attention).Serve(prompt: 200, decodes: 100);
            var window = new Run(new KvCompression { Policy = CompressionPolicy.Window, BudgetTokens = 64 }, attention).Serve(prompt: 200, decodes: 100);
            int[] heavy = Enumerable.Range(0, 300).Where(p => h2o.Attention.IsHeavyHitter(3, p)).ToArray();
            Assert.That(heavy.Length, Is.InRange(5, 32), "the planted heavy hitters fit beside the recent window");
            Assert.That(h2o.ResidentPositions(), Is.SupersetOf(heavy));
            Assert.That(h2o.Store.Stats.RetainedMass.Mean, Is.GreaterThan(window.Store.Stats.RetainedMass.Mean + 0.1));
        }

        [Test]
        public void LazyKeepsRecurringTokensAndEvictsInBatches()
        {
            // Heavy hitters are attended at nearly every step, so their recurrence interval is short and they stay; the
            // sequence sheds tokens only once it is 8 over its budget of 64, so it ends between 64 and 72.
            var attention = new AttentionModel { Sinks = 0, HeavyHitterShare = 0.05, HeavyHitterStrength = 3, RecencyDecayPerToken = 0.002f };
            var lazy = new Run(new KvCompression { Policy = CompressionPolicy.Lazy, BudgetTokens = 64, RecentTokens = 16, LazySlack = 8 }, attention).Serve(prompt: 200, decodes: 100);
            var window = new Run(new KvCompression { Policy = CompressionPolicy.Window, BudgetTokens = 64 }, attention).Serve(prompt: 200, decodes: 100);
            int[] heavy = Enumerable.Range(0, 300).Where(p => lazy.Attention.IsHeavyHitter(3, p)).ToArray();
            Assert.That(lazy.ResidentPositions(), Is.SupersetOf(heavy));
            Assert.That(lazy.ResidentPositions().Length, Is.InRange(64, 72));
            Assert.That(lazy.Store.Stats.RetainedMass.Mean, Is.GreaterThan(window.Store.Stats.RetainedMass.Mean));
        }

        [Test]
        public void CakeGivesWideAttendingLayerGroupsMoreOfTheBudget()
        {
            // Four layer groups at temperatures 0.35 .. 2.83 share 4 x 64 token copies in proportion to how spread
            // their attention is: the coolest group (widest attention) keeps the most, the hottest the fewest, and
            // together they stay within the budget.
            var attention = new AttentionModel { Layers = 4 };
            var run = new Run(new KvCompression { Policy = CompressionPolicy.Cake, BudgetTokens = 64, RecentTokens = 8 }, attention).Serve(prompt: 200, decodes: 60);
            var perLayer = new int[4];
            run.World.Query(new QueryDescription().WithAll<KvToken>(), (ref KvToken token) => perLayer[token.Layer]++);
            Assert.That(perLayer[0], Is.GreaterThan(perLayer[3]));
            Assert.That(perLayer.Sum(), Is.LessThanOrEqualTo(4 * 64));
            Assert.That(run.Store.Stats.MemorySavedFraction, Is.GreaterThan(0.5));
        }

        [Test]
        public void MikvKeepsEvictedTokensAtLowPrecisionInPackedPages()
        {
            // Budget 64 full-token equivalents, 16 recent tokens kept at full precision, the rest at 4 bits (a quarter).
            // 250 positions: 16 + 234/4 = 74.5 is over, so after demoting all 234 the 42 lowest-scored low-precision tokens
            // go: 16 full + 192 low = 16 + 48 = 64. The 192 pack into 192 x 4 / (16 x 16) = 3 pages.
            var attention = new AttentionModel { Sinks = 0, HeavyHitterShare = 0.05, HeavyHitterStrength = 3, RecencyDecayPerToken = 0.002f };
            var mikv = new Run(new KvCompression { Policy = CompressionPolicy.Mikv, BudgetTokens = 64, RecentTokens = 16, LowBits = 4 }, attention).Serve(prompt: 200, decodes: 50);
            Assert.That(mikv.ResidentPositions(bits: 16), Is.EqualTo(Enumerable.Range(250 - 16, 16)));
            Assert.That(mikv.ResidentPositions(bits: 4).Length, Is.EqualTo(192));
            Assert.That(mikv.Table.PackedCount, Is.EqualTo(3));
            var h2o = new Run(new KvCompression { Policy = CompressionPolicy.H2o, BudgetTokens = 64, RecentTokens = 16 }, attention).Serve(prompt: 200, decodes: 50);
            Assert.That(mikv.Store.Stats.RetainedMass.Mean, Is.GreaterThan(h2o.Store.Stats.RetainedMass.Mean));
        }
    }
}
