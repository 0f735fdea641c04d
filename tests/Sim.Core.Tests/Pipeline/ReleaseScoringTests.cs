using System;
using System.Collections.Generic;
using NUnit.Framework;
using Sim.Core.Compute;
using Sim.Core.Kv;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Core.Tests.Support;
using Sim.Core.Tokens;
using Sim.Core.Tokens.Policies;
using Sim.Core.Trace;

namespace Sim.Core.Tests.Pipeline
{
    /// <summary>The blocks released in a step, scored in one call for every replica.</summary>
    public class ReleaseScoringTests
    {
        static TraceRequest Hashed(long id, int firstHash)
        {
            // 1,030 tokens: two whole 512-token blocks cached, six tokens in a third.
            TraceRequest request = TestScenes.Request(id, 0, 1030, 2);
            request.HashIds = new[] { firstHash, firstHash + 1, firstHash + 2 };
            return request;
        }

        [Test]
        public void RequestsFinishingTogetherOnTwoReplicasAreScoredInOneCall()
        {
            // Four requests at t = 0, round-robin over two replicas: each replica batches two, the batches take the same
            // time (10 ms + 1 ms a token), and all four finish in one step, each letting go of two cached blocks. Scored as
            // each request let go, that was four calls of two blocks; now one of eight.
            Scene scene = TestScenes.Small();
            scene.Replicas = 2;
            scene.PrefixCaching = true;
            var backend = new ScoringCalls();
            var requests = new List<TraceRequest> { Hashed(0, 10), Hashed(1, 20), Hashed(2, 30), Hashed(3, 40) };
            using var simulation = new Simulation(scene, requests, requests.Count, "test", null, new LinearPerfModel(0.010, 0.001), backend);
            simulation.Run();
            Assert.That(simulation.Log[0].FinishS, Is.EqualTo(simulation.Log[3].FinishS), "all four finish in one step");
            Assert.That(backend.Blocks, Is.EqualTo(new[] { 8 }));
            foreach (ReplicaRuntime replica in simulation.Cluster.Replicas)
                Assert.That(replica.Kv.Prefix!.EvictablePages, Is.EqualTo(2 * 2 * 32), "two requests' two blocks of 32 pages, evictable");
        }
    }
}
