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
    /// <summary>Arrivals are tagged request entities that routing visits in arrival order and untags.</summary>
    public class ArrivalRoutingTests
    {
        [Test]
        public void RequestsArrivingTogetherAreRoutedInArrivalOrderAndUntagged()
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
            Assert.That(world.CountEntities(new QueryDescription().WithAll<Arrived>()), Is.EqualTo(0));
            Assert.That(world.CountEntities(new QueryDescription().WithAll<RequestInfo>()), Is.EqualTo(7));
            var ids = new List<long>();
            foreach (RequestRow row in RequestQueue.Running(world, simulation.Cluster.Replicas[0])) ids.Add(row.Info.Id);
            foreach (RequestRow row in RequestQueue.Waiting(world, simulation.Cluster.Replicas[0])) ids.Add(row.Info.Id);
            Assert.That(ids, Is.EquivalentTo(new long[] { 0, 3, 6 }));
            Assert.That(ids, Is.Ordered, "admitted, then waiting, in arrival order");
        }
    }
}
