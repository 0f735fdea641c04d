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
    /// <summary>One sequence driven step by step through the token store: a prefill (whole or in chunks), then decodes, on 16-token pages.</summary>
    public class TokenStoreTests
    {
        const int BlockTokens = 16;

        internal sealed class Run
        {
            public readonly World World = new World();
            public readonly KvBlockPool Pool;
            public readonly TokenStore Store;
            public readonly AttentionModel Attention;
            public KvPageTable Table = KvBlockPool.EmptyTable;
            public readonly int Slot;
            readonly int _prompt;

            public Run(KvCompression compression, int prompt, AttentionModel? attention = null, long requestId = 3, ulong seed = 7)
            {
                Pool = new KvBlockPool(World, 0, 4000, BlockTokens);
                Attention = (attention ?? new AttentionModel()).WithSeed(seed);
                Store = new TokenStore(World, Attention, compression, CpuBackend.Instance);
                _prompt = prompt;
                Slot = Store.Open(requestId, prompt);
            }

            /// <summary>Prefills the prompt in chunks of <paramref name="chunk"/> tokens (0: in one iteration), then decodes <paramref name="decodes"/> more.</summary>
            public Run Serve(int decodes, int chunk = 0)
            {
                int step = chunk > 0 ? chunk : _prompt;
                for (int from = 0; from < _prompt; from += step) Step(from, System.Math.Min(_prompt, from + step));
                for (int position = _prompt; position < _prompt + decodes; position++) Step(position, position + 1);
                return this;
            }

            public void Step(int from, int to)
            {
                Assert.That(Pool.TryReserve(ref Table, to), Is.True);
                Store.Advance(Slot, from, to, emitsToken: to >= _prompt, ref Table, Pool, 0.01);
                CheckPages(to);
            }

            /// <summary>Pages held are exactly the written pages with a full-precision resident token in some copy, plus the packed pages.</summary>
            void CheckPages(int positions)
            {
                var withTokens = new HashSet<int>(Tokens().Where(t => t.Bits == 16).Select(t => t.Position / BlockTokens));
                int lastPage = (positions - 1) / BlockTokens;
                for (int page = 0; page <= lastPage; page++)
                {
                    bool held = Table.Pages[page] >= 0;
                    bool shouldHold = withTokens.Contains(page) || (page + 1) * BlockTokens > positions;
                    Assert.That(held, Is.EqualTo(shouldHold), "page " + page + " of " + positions + " positions");
                }
                Assert.That(Pool.UsedPages, Is.EqualTo(Table.Pages.Take(Table.PageCount).Count(p => p >= 0) + Table.PackedCount));
            }

            public List<KvToken> Tokens()
            {
                var tokens = new List<KvToken>();
                World.Query(new QueryDescription().WithAll<KvToken>(), (ref KvToken token) => tokens.Add(token));
                return tokens;
            }

            /// <summary>Positions resident in <paramref name="copy"/> (of every precision, or only those stored at <paramref name="bits"/>).</summary>
            public int[] ResidentPositions(int copy, int bits = 0) =>
                Tokens().Where(t => t.Copy == copy && (bits == 0 || t.Bits == bits)).Select(t => t.Position).OrderBy(p => p).ToArray();
        }

        static readonly int Copies = new AttentionModel().Copies;

        [Test]
        public void WindowKeepsExactlyTheLastTokensInEveryCopyAndFreesTheirPages()
        {
            var run = new Run(new KvCompression { Policy = CompressionPolicy.Window, BudgetTokens = 40 }, prompt: 100).Serve(decodes: 30);
            for (int copy = 0; copy < Copies; copy++) Assert.That(run.ResidentPositions(copy), Is.EqualTo(Enumerable.Range(130 - 40, 40)));
            // Positions 90..129 sit on pages 5..8; pages 0..4 are free.
            Assert.That(run.Pool.UsedPages, Is.EqualTo(4));
            Assert.That(run.Store.Stats.TokensEvicted, Is.EqualTo((130 - 40) * Copies));
        }

        [Test]
        public void StreamingKeepsTheSinksAndTheMostRecent()
        {
            var run = new Run(new KvCompression { Policy = CompressionPolicy.Streaming, BudgetTokens = 20, Sinks = 4 }, prompt: 50).Serve(decodes: 10);
            Assert.That(run.ResidentPositions(Copies - 1), Is.EqualTo(Enumerable.Range(0, 4).Concat(Enumerable.Range(60 - 16, 16))));
        }

        [Test]
        public void WithABudgetOfEverythingEveryPolicyIsFull()
        {
            foreach (CompressionPolicy policy in new[] { CompressionPolicy.Window, CompressionPolicy.Streaming, CompressionPolicy.H2o, CompressionPolicy.SnapKv, CompressionPolicy.Lazy, CompressionPolicy.Cake, CompressionPolicy.Mikv })
            {
                var run = new Run(new KvCompression { Policy = policy, BudgetTokens = 1000, RecentTokens = 8, ObservationWindow = 8 }, prompt: 60).Serve(decodes: 20);
                Assert.That(run.Tokens().Count, Is.EqualTo(80 * Copies), policy.ToString());
                Assert.That(run.Store.Stats.RetainedMass.Count, Is.EqualTo(20));
                Assert.That(run.Store.Stats.RetainedMass.Min, Is.EqualTo(1).Within(1e-5), policy + ": all the attention mass stays");
                Assert.That(run.Store.Stats.OutputError.Max, Is.LessThan(1e-6), policy + ": the output is the full cache's");
                Assert.That(run.Store.Stats.MemorySavedFraction, Is.EqualTo(0));
            }
        }

        [Test]
        public void NothingIsEvictedBeforeThePrefillEnds()
        {
            // A 300-token prompt in 100-token chunks under a 40-token window: every chunk stays until the prompt is done.
            var run = new Run(new KvCompression { Policy = CompressionPolicy.Window, BudgetTokens = 40 }, prompt: 300);
            run.Step(0, 100);
            run.Step(100, 200);
            Assert.That(run.ResidentPositions(0), Is.EqualTo(Enumerable.Range(0, 200)));
            run.Step(200, 300);
            Assert.That(run.ResidentPositions(0), Is.EqualTo(Enumerable.Range(260, 40)));
        }

        [TestCase(CompressionPolicy.H2o)]
        [TestCase(CompressionPolicy.SnapKv)]
        [TestCase(CompressionPolicy.Lazy)]
        [TestCase(CompressionPolicy.Cake)]
        [TestCase(CompressionPolicy.Mikv)]
        [TestCase(CompressionPolicy.Streaming)]
        public void TheChunkSizeChangesNothing(CompressionPolicy policy)
        {
            // Every chunk is scored before anything can be evicted, so a prompt in 64-token chunks ends where one in a
            // single iteration does: the same tokens kept, the same mass and error at every decode.
            var compression = new KvCompression { Policy = policy, BudgetTokens = 96, RecentTokens = 16, ObservationWindow = 16, LazySlack = 8 };
            var whole = new Run(compression, prompt: 400).Serve(decodes: 40);
            var chunked = new Run(compression, prompt: 400).Serve(decodes: 40, chunk: 64);
            for (int copy = 0; copy < Copies; copy++) Assert.That(chunked.ResidentPositions(copy), Is.EqualTo(whole.ResidentPositions(copy)), "copy " + copy);
            Assert.That(chunked.Store.Stats.RetainedMass.Sum, Is.EqualTo(whole.Store.Stats.RetainedMass.Sum));
            Assert.That(chunked.Store.Stats.OutputError.Sum, Is.EqualTo(whole.Store.Stats.OutputError.Sum));
            Assert.That(whole.Store.Stats.TokensEvicted, Is.GreaterThan(0));
        }

        [Test]
        public void PagesFreeOnlyWhenEveryCopyHasLeftThem()
        {
            // H2O keeps different positions in different copies, scattered over the prompt: far fewer pages free than tokens
            // leave. A window keeps the same contiguous positions everywhere: its pages free as its tokens do.
            var compression = new KvCompression { Policy = CompressionPolicy.H2o, BudgetTokens = 64, RecentTokens = 16 };
            var h2o = new Run(compression, prompt: 600).Serve(decodes: 20);
            var window = new Run(new KvCompression { Policy = CompressionPolicy.Window, BudgetTokens = 64 }, prompt: 600).Serve(decodes: 20);
            Assert.That(h2o.Store.Stats.TokenMemorySavedFraction, Is.EqualTo(window.Store.Stats.TokenMemorySavedFraction).Within(1e-9));
            Assert.That(h2o.Store.Stats.MemorySavedFraction, Is.LessThan(h2o.Store.Stats.TokenMemorySavedFraction - 0.2));
            Assert.That(window.Store.Stats.MemorySavedFraction, Is.EqualTo(window.Store.Stats.TokenMemorySavedFraction).Within(0.05));
        }

        [Test]
        public void MikvKeepsEvictedTokensAtLowPrecisionInEveryCopy()
        {
            // Budget 64 full-token equivalents per copy, 16 recent tokens at full precision, the rest at 4 bits (a quarter).
            // 250 positions: 16 + 234/4 = 74.5 is over, so after demoting all 234 the 42 lowest-scored low-precision tokens
            // go: 16 full + 192 low = 16 + 48 = 64, in every copy. The 192 x 8 copies pack into
            // 192 x 8 x 4 / (16 x 16 x 8) = 3 pages (a page holds 16 positions of all 8 copies).
            var mikv = new Run(new KvCompression { Policy = CompressionPolicy.Mikv, BudgetTokens = 64, RecentTokens = 16, LowBits = 4 }, prompt: 200).Serve(decodes: 50);
            for (int copy = 0; copy < Copies; copy++)
            {
                Assert.That(mikv.ResidentPositions(copy, bits: 16), Is.EqualTo(Enumerable.Range(250 - 16, 16)), "copy " + copy);
                Assert.That(mikv.ResidentPositions(copy, bits: 4).Length, Is.EqualTo(192), "copy " + copy);
            }
            Assert.That(mikv.Table.PackedCount, Is.EqualTo(3));
            Assert.That(mikv.Store.Stats.TokenMemorySavedFraction, Is.GreaterThan(0.7));
        }

        [Test]
        public void MikvErrorComesFromItsBits()
        {
            // Budgets that hold every unprotected token at 2, 4 or 8 bits at the end (16 recent + 214 x bits / 16): nothing is
            // dropped, so the error is the quantisation's alone, and each bit halves the rounding step: the error falls with
            // the bits. H2O at the 2-bit budget drops what MiKV demotes, and errs the most.
            (double Error, long Dropped) At(int bits, int budget)
            {
                var run = new Run(new KvCompression { Policy = CompressionPolicy.Mikv, BudgetTokens = budget, RecentTokens = 16, LowBits = bits }, prompt: 200).Serve(decodes: 30);
                return (run.Store.Stats.OutputError.Mean, run.Store.Stats.TokensEvicted);
            }
            var two = At(2, 43);
            var four = At(4, 70);
            var eight = At(8, 123);
            double h2o = new Run(new KvCompression { Policy = CompressionPolicy.H2o, BudgetTokens = 43, RecentTokens = 16 }, prompt: 200).Serve(decodes: 30).Store.Stats.OutputError.Mean;
            Assert.That((two.Dropped, four.Dropped, eight.Dropped), Is.EqualTo((0L, 0L, 0L)));
            Assert.That(eight.Error, Is.GreaterThan(0));
            Assert.That(four.Error, Is.GreaterThan(eight.Error));
            Assert.That(two.Error, Is.GreaterThan(four.Error));
            Assert.That(h2o, Is.GreaterThan(two.Error));
        }

        [Test]
        public void LazyEvictsInBatches()
        {
            // The sequence sheds tokens only once a copy is 8 over its budget of 64, then back to 64: it ends between 64 and 72.
            var lazy = new Run(new KvCompression { Policy = CompressionPolicy.Lazy, BudgetTokens = 64, RecentTokens = 16, LazySlack = 8 }, prompt: 200).Serve(decodes: 100);
            for (int copy = 0; copy < Copies; copy++) Assert.That(lazy.ResidentPositions(copy).Length, Is.InRange(64, 72));
        }

        [Test]
        public void CakeSplitsTheBudgetAcrossLayerGroupsByPreference()
        {
            // 4 groups x 2 heads share 8 x 64 token copies: beyond each copy's 16-token window, (64 - 16) x 4 go to groups by
            // entropy x variance of their window attention; the groups differ, heads of a group match, and the total holds.
            var run = new Run(new KvCompression { Policy = CompressionPolicy.Cake, BudgetTokens = 64, ObservationWindow = 16 }, prompt: 300).Serve(decodes: 20);
            int[] perCopy = Enumerable.Range(0, Copies).Select(c => run.ResidentPositions(c).Length).ToArray();
            Assert.That(perCopy.Distinct().Count(), Is.GreaterThan(1));
            for (int layer = 0; layer < 4; layer++) Assert.That(perCopy[2 * layer], Is.EqualTo(perCopy[2 * layer + 1]));
            Assert.That(perCopy.Sum(), Is.EqualTo(Copies * 64), "adjust_budgets hands out what truncation left over");
        }

        [Test]
        public void CakeLeavesAPromptWithinTheBudgetAndWindowToThePlainBudget()
        {
            // CakeprefillKVCache compresses only a prompt longer than cache_size + window_size: 75 positions against a
            // budget of 64 and a window of 16 get no split, so every copy keeps 64, as in the uniform split.
            var run = new Run(new KvCompression { Policy = CompressionPolicy.Cake, BudgetTokens = 64, ObservationWindow = 16 }, prompt: 75).Serve(decodes: 20);
            for (int copy = 0; copy < Copies; copy++) Assert.That(run.ResidentPositions(copy).Length, Is.EqualTo(64), "copy " + copy);
        }

        [Test]
        public void CakeUniformSplitGivesEveryGroupTheBudget()
        {
            var run = new Run(new KvCompression { Policy = CompressionPolicy.Cake, BudgetTokens = 64, ObservationWindow = 16, CakeUniformSplit = true }, prompt: 300).Serve(decodes: 20);
            for (int copy = 0; copy < Copies; copy++) Assert.That(run.ResidentPositions(copy).Length, Is.EqualTo(64));
        }
    }
}
