using System.IO;
using System.Runtime.CompilerServices;
using NUnit.Framework;

namespace Sim.Core.Tests.Trace
{
    /// <summary>Paths of the small fixture traces (copied next to the tests) and of the real traces shipped in scenes/traces.</summary>
    internal static class TraceFixtures
    {
        public static string Fixture(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "traces", name);

        /// <summary>Found from this source file's location, so it works wherever the build output goes (--artifacts-path).</summary>
        public static string Shipped(string name) =>
            Path.GetFullPath(Path.Combine(ThisFolder(), "..", "..", "..", "scenes", "traces", name));

        static string ThisFolder([CallerFilePath] string sourceFile = "") => Path.GetDirectoryName(sourceFile)!;
    }
}
