using System.Collections.Generic;
using NUnit.Framework;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Core.Tokens;
using Sim.Tests.Shared;

namespace Sim.Core.Tests.Tokens
{
    /// <summary>
    /// The papers' findings at equal memory: every policy keeps the same budget per copy (for SnapKV, which keeps every decode
    /// token, the prompt's budget, as its paper compares) and is judged by the output error ‖o_full − o_kept‖ per decode step, the
    /// attention mass it keeps alongside. Two shapes on the token store: the shipped example's (2,000-token prompts, 256
    /// out, budget 256) and a held-out one (1,000 in, 512 out, budget 128, another seed); LazyEviction's finding on a
    /// reasoning shape (128 in, 2,000 out). Then the shipped scene itself, run whole.
    /// </summary>
    public class PublishedOrderingTests
    {
        internal readonly struct Quality
        {
            public Quality(double mass, double error)
            {
                Mass = mass;
                Error = error;
            }

            public double Mass { get; }

            public double Error { get; }

            public override string ToString() => $"mass {Mass:F4} error {Error:F4}";
        }

        public sealed class Shape
        {
            public Shape(int prompt, int output, int budget, ulong seed)
            {
                Prompt = prompt;
                Output = output;
                Budget = budget;
                Seed = seed;
            }

            public int Prompt { get; }
            public int Output { get; }
            public int Budget { get; }
            public ulong Seed { get; }

            public override string ToString() => $"{Prompt} in, {Output} out, budget {Budget}";
        }

        static readonly Shape Shipped = new Shape(2000, 256, 256, 7), HeldOut = new Shape(1000, 512, 128, 99), Reasoning = new Shape(128, 2000, 256, 7);

        static readonly Dictionary<(Shape, CompressionPolicy), Quality> Served = new Dictionary<(Shape, CompressionPolicy), Quality>();

        /// <summary>Mean retained mass and output error over the decode steps of two requests of a shape.</summary>
        static Quality Serve(Shape shape, CompressionPolicy policy)
        {
            if (Served.TryGetValue((shape, policy), out Quality known)) return known;
            double mass = 0, error = 0;
            const int requests = 2;
            for (int request = 0; request < requests; request++)
            {
                var compression = new KvCompression { Policy = policy, BudgetTokens = shape.Budget, RecentTokens = 32, ObservationWindow = 32, LazySlack = 32 };
                var run = new TokenStoreTests.Run(compression, shape.Prompt, requestId: request, seed: shape.Seed).Serve(shape.Output);
                mass += run.Store.Stats.RetainedMass.Mean;
                error += run.Store.Stats.OutputError.Mean;
            }
            var quality = new Quality(mass / requests, error / requests);
            TestContext.Out.WriteLine($"{shape}: {policy}: {quality}");
            return Served[(shape, policy)] = quality;
        }

        static IEnumerable<TestCaseData> Shapes()
        {
            yield return new TestCaseData(Shipped).SetName("{m}(shipped shape)");
            yield return new TestCaseData(HeldOut).SetName("{m}(held-out shape)");
        }

        [TestCaseSource(nameof(Shapes))]
        public void StreamingLlmBeatsAWindow(Shape shape)
        {
            // StreamingLLM: a window that loses the first tokens loses the sinks' attention; keeping 4 of them recovers it.
            Assert.That(Serve(shape, CompressionPolicy.Streaming).Error, Is.LessThan(0.5 * Serve(shape, CompressionPolicy.Window).Error));
            Assert.That(Serve(shape, CompressionPolicy.Streaming).Mass, Is.GreaterThan(Serve(shape, CompressionPolicy.Window).Mass + 0.1));
        }

        [TestCaseSource(nameof(Shapes))]
        public void H2oBeatsAWindowAndStreamingLlm(Shape shape)
        {
            Assert.That(Serve(shape, CompressionPolicy.H2o).Error, Is.LessThan(0.5 * Serve(shape, CompressionPolicy.Window).Error));
            Assert.That(Serve(shape, CompressionPolicy.H2o).Error, Is.LessThan(Serve(shape, CompressionPolicy.Streaming).Error));
        }

        [TestCaseSource(nameof(Shapes))]
        public void SnapKvIsAtLeastAsGoodAsH2oOnPromptHeavyWork(Shape shape)
        {
            // As SnapKV's paper compares them: the same budget for the prompt (SnapKV then keeps every decode token, which
            // the memory figures count; H2O stays at the budget).
            Assert.That(Serve(shape, CompressionPolicy.SnapKv).Error, Is.LessThanOrEqualTo(Serve(shape, CompressionPolicy.H2o).Error));
        }

        [Test]
        public void LazyEvictionBeatsH2oOnRecurrentPatterns()
        {
            // A long answer returns to its topics: tokens regain attention after long gaps, which H2O's accumulated scores
            // (favouring the old) miss and the maximum recurrence interval keeps.
            Assert.That(Serve(Reasoning, CompressionPolicy.Lazy).Error, Is.LessThan(Serve(Reasoning, CompressionPolicy.H2o).Error));
            Assert.That(Serve(Reasoning, CompressionPolicy.Lazy).Mass, Is.GreaterThan(Serve(Reasoning, CompressionPolicy.H2o).Mass));
        }

        /// <summary>The shipped long-prompt scene, four requests, run whole with <paramref name="overrides"/>: its kept mass and output error.</summary>
        static KvCompressionStats RunShippedScene(params string[] overrides)
        {
            var flags = new List<string> { "workload.requests=4" };
            flags.AddRange(overrides);
            Scene scene = SceneLoader.Load(Repository.PathOf("scenes", "examples", "long-prompt-kv-compression-llama3-8b.yaml"), flags.ToArray());
            SceneWorkload workload = SceneWorkload.Open(scene);
            using var simulation = new Simulation(scene, workload.Requests, workload.Count, workload.SourceName, null);
            simulation.Run();
            KvCompressionStats stats = simulation.World.GetResource<TokenStore>().Stats;
            TestContext.Out.WriteLine(string.Join(" ", overrides) + $": mass {stats.RetainedMass.Mean:F4} error {stats.OutputError.Mean:F4} pages saved {stats.MemorySavedFraction:F3} tokens saved {stats.TokenMemorySavedFraction:F3}");
            return stats;
        }

        [Test]
        public void TheOrderingsHoldOnTheShippedScene()
        {
            double Error(string policy) => RunShippedScene("kv.compression.policy=" + policy).OutputError.Mean;
            double window = Error("window"), streaming = Error("streaming"), h2o = Error("h2o"), snapkv = Error("snapkv");
            Assert.That(streaming, Is.LessThan(window));
            Assert.That(h2o, Is.LessThan(window));
            Assert.That(snapkv, Is.LessThanOrEqualTo(h2o));
        }

        [Test]
        public void AMethodsFiguresDoNotMoveWithMaxBatchTokens()
        {
            // 512-token chunks against whole prompts in one iteration: every chunk is scored before anything is evicted, so
            // every decode step's figures are the same; the batches interleave the requests differently, so their sums
            // differ only by the order of addition.
            KvCompressionStats chunked = RunShippedScene("kv.compression.policy=h2o", "scheduler.max_batch_tokens=512");
            KvCompressionStats whole = RunShippedScene("kv.compression.policy=h2o", "scheduler.max_batch_tokens=8192");
            Assert.That(chunked.RetainedMass.Count, Is.EqualTo(whole.RetainedMass.Count));
            Assert.That(chunked.RetainedMass.Sum, Is.EqualTo(whole.RetainedMass.Sum).Within(1e-9));
            Assert.That(chunked.OutputError.Sum, Is.EqualTo(whole.OutputError.Sum).Within(1e-9));
            Assert.That((chunked.RetainedMass.Min, chunked.OutputError.Max), Is.EqualTo((whole.RetainedMass.Min, whole.OutputError.Max)));
            Assert.That(chunked.TokensEvicted, Is.EqualTo(whole.TokensEvicted));
        }
    }
}
