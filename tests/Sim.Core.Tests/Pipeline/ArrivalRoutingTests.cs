using System.Collections.Generic;
using NUnit.Framework;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Core.Tests.Support;
using Sim.Core.Trace;

namespace Sim.Core.Tests.Pipeline
{
    /// <summary>Arrivals are the newest rows of the request archetype, which routing visits in arrival order and gives a replica.</summary>
    public class ArrivalRoutingTests
    {
        [Test]
        public void RequestsArrivingTogetherAreRoutedInArrivalOrder()
        {
            // Seven requests at t 0 arrive in one step; round-robin over three replicas sends request i to replica i mod 3
            // only if routing visits them in arrival order, and each waiting queue then holds its requests in that order.
            Scene scene = TestScenes.Small();
            scene.Replicas = 3;
            // One step, not a fast-forward move of many.
            scene.FastForward = false;
            var requests = new List<TraceRequest>();
            for (int i = 0; i < 7; i++) requests.Add(TestScenes.Request(i, 0, 50, 3));
            var simulation = new Simulation(scene, requests, requests.Count, "test", perfModel: new LinearPerfModel(0.01, 0.0001));
            simulation.Step();
            World world = simulation.World;
            for (int i = 0; i < 7; i++) Assert.That(simulation.Log[i].Replica, Is.EqualTo(i % 3), "request " + i);
            foreach (Chunk chunk in world.GetChunks(new QueryDescription().WithAll<RequestProgress>()))
                foreach (RequestProgress progress in chunk.GetSpan<RequestProgress>()) Assert.That(progress.Replica, Is.GreaterThanOrEqualTo(0));
            Assert.That(world.CountEntities(new QueryDescription().WithAll<RequestInfo>()), Is.EqualTo(7));
            var ids = new List<long>();
            foreach (RequestRow row in RequestQueue.Running(world, simulation.Cluster.Replicas[0])) ids.Add(row.Info.Id);
            foreach (RequestRow row in RequestQueue.Waiting(world, simulation.Cluster.Replicas[0])) ids.Add(row.Info.Id);
            Assert.That(ids, Is.EquivalentTo(new long[] { 0, 3, 6 }));
            Assert.That(ids, Is.Ordered, "admitted, then waiting, in arrival order");
        }

        [TestCase(true)]
        [TestCase(false)]
        public void EachStepsArrivalsAreRoutedOnceInArrivalOrderAfterEarlierRequestsFinished(bool fastForward)
        {
            // 1,100 requests at t 0 (more than a chunk of the request archetype holds: 176-byte rows, 1,024 of them in 256 KiB),
            // then 1,100 at t 1000 and 5 at t 1000.001, when the first have finished and their rows were destroyed
            // (swap-removes reorder the routed rows).
            // Round-robin sends request i to replica i mod 3 only if every arrival is routed once, in arrival order; a
            // request left unrouted would never complete.
            Scene scene = TestScenes.Small();
            scene.Replicas = 3;
            scene.FastForward = fastForward;
            var requests = new List<TraceRequest>();
            for (int i = 0; i < 2205; i++) requests.Add(TestScenes.Request(i, i < 1100 ? 0 : i < 2200 ? 1000 : 1000.001, 50, 3));
            var simulation = new Simulation(scene, requests, requests.Count, "test", perfModel: new LinearPerfModel(0.01, 0.0001));
            simulation.Run();
            Assert.That(simulation.Log.Completed, Is.EqualTo(2205));
            for (int i = 0; i < 2205; i++)
            {
                Assert.That(simulation.Log[i].Replica, Is.EqualTo(i % 3), "request " + i);
                Assert.That(simulation.Log[i].FinishS, i < 1100 ? Is.LessThan(1000) : Is.GreaterThan(1000), "request " + i);
            }
        }
    }
}
