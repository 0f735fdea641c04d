using System;
using NUnit.Framework;
using Sim.Core.Policies;
using Sim.Core.Policies.Orders;

namespace Sim.Core.Tests.Policies
{
    /// <summary>The admission-order registry: one row per order id, named as the scenes name it.</summary>
    public class AdmissionOrderRegistryTests
    {
        [Test]
        public void EveryOrderIdHasOneRowWhoseNameParsesBackToIt()
        {
            Assert.That(AdmissionOrders.Names, Is.EqualTo(new[] { "fcfs", "shortest-prompt-first", "priority" }));
            foreach (AdmissionOrderKind kind in Enum.GetValues(typeof(AdmissionOrderKind)))
                Assert.That(AdmissionOrders.Parse(kind.Key().Name), Is.EqualTo(kind));
            Assert.That(AdmissionOrderKind.Fcfs.Key().KeepsQueueOrder, Is.True);
            Assert.That(AdmissionOrderKind.Priority.Key().KeepsQueueOrder, Is.False);
            Assert.That(() => AdmissionOrders.Parse("lifo"), Throws.ArgumentException.With.Message.Contains("fcfs, shortest-prompt-first, priority"));
        }
    }
}
