using System.Collections.Generic;
using System.Text;
using NUnit.Framework;
using Sim.Core.Ecs;

namespace Sim.Core.Tests.Ecs
{
    public class ResourceTests
    {
        [Test]
        public void SetThenGet_ReturnsTheSameObjectPerType()
        {
            var world = new World();
            var log = new StringBuilder("log");
            var names = new List<string> { "a" };

            world.SetResource(log);
            world.SetResource(names);

            Assert.That(world.GetResource<StringBuilder>(), Is.SameAs(log));
            Assert.That(world.GetResource<List<string>>(), Is.SameAs(names));
            Assert.That(world.TryGetResource(out StringBuilder? found), Is.True);
            Assert.That(found, Is.SameAs(log));
        }

        [Test]
        public void SetResourceAgain_Replaces()
        {
            var world = new World();
            world.SetResource(new StringBuilder("old"));
            var replacement = new StringBuilder("new");

            world.SetResource(replacement);

            Assert.That(world.GetResource<StringBuilder>(), Is.SameAs(replacement));
        }

        [Test]
        public void MissingResource_GetThrowsAndTryGetSaysSo()
        {
            var world = new World();

            Assert.That(() => world.GetResource<StringBuilder>(),
                        Throws.InvalidOperationException.With.Message.Contains("no resource of type System.Text.StringBuilder"));
            Assert.That(world.TryGetResource(out StringBuilder? found), Is.False);
            Assert.That(found, Is.Null);
        }
    }
}
