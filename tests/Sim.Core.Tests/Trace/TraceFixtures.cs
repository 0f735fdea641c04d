using System.IO;
using NUnit.Framework;
using Sim.Tests.Shared;

namespace Sim.Core.Tests.Trace
{
    /// <summary>Paths of the small fixture traces (copied next to the tests) and of the real traces shipped in scenes/traces.</summary>
    internal static class TraceFixtures
    {
        public static string Fixture(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "traces", name);

        public static string Shipped(string name) => Repository.PathOf("scenes", "traces", name);
    }
}
