using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Core.Tests.Support;
using Sim.Core.Trace;

namespace Sim.Core.Tests.Policies
{
    /// <summary>
    /// Two replicas, cost 10 ms + 1 ms a token, and five requests worked through by hand:
    /// A (t 0, prompt 100) and B (t 0.001, prompt 300) start on different replicas; C (t 0.002, prompt 20)
    /// goes where A is (A has 100 uncomputed tokens and 7 pages against B's 300 and 19). At t 0.2 A's replica
    /// runs A's and C's decodes (2 uncomputed tokens, 9 pages) while B's 300-token prefill is still in flight,
    /// so D (prompt 10) joins A by either measure. At t 0.35 B's replica holds one decode (1 uncomputed token,
    /// 19 pages) and A's two (2 tokens, 11 pages): E goes to B's replica by load but to A's by free pages.
    /// </summary>
    public class RouterTests
    {
        static int[] Replicas(string router, ulong seed = 42)
        {
            Scene scene = TestScenes.Small();
            scene.Replicas = 2;
            scene.Router = router;
            scene.PrefixCaching = router == "prefix-aware";
            scene.Seed = seed;
            List<TraceRequest> requests = TestScenes.Requests(
                TestScenes.Request(0, 0, 100, 50), TestScenes.Request(1, 0.001, 300, 50), TestScenes.Request(2, 0.002, 20, 50),
                TestScenes.Request(3, 0.2, 10, 5), TestScenes.Request(4, 0.35, 10, 5));
            var simulation = new Simulation(scene, requests, requests.Count, "test", perfModel: new LinearPerfModel(0.010, 0.001));
            simulation.Run();
            return simulation.Log.Records.ToArray().Select(r => r.Replica).ToArray();
        }

        [Test]
        public void RoundRobinAlternates() => Assert.That(Replicas("round-robin"), Is.EqualTo(new[] { 0, 1, 0, 1, 0 }));

        [Test]
        public void LeastLoadedFollowsUncomputedTokens() => Assert.That(Replicas("least-loaded"), Is.EqualTo(new[] { 0, 1, 0, 0, 1 }));

        [Test]
        public void LeastKvFollowsFreePages() => Assert.That(Replicas("least-kv"), Is.EqualTo(new[] { 0, 1, 0, 0, 0 }));

        [Test]
        public void PrefixAwareWithoutPrefixHashesFollowsUncomputedTokens() => Assert.That(Replicas("prefix-aware"), Is.EqualTo(new[] { 0, 1, 0, 0, 1 }));

        [Test]
        public void PowerOfTwoWithTwoReplicasComparesBothAndIsReproducible()
        {
            // With two replicas both are always probed: only A's tie (both empty) is left to the draw.
            int[] picks = Replicas("power-of-two");
            int a = picks[0], b = 1 - a;
            Assert.That(picks, Is.EqualTo(new[] { a, b, a, a, b }));
            Assert.That(Replicas("power-of-two"), Is.EqualTo(picks));
        }
    }
}
