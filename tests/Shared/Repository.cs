using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace Sim.Tests.Shared
{
    /// <summary>Paths inside the repository the tests were built from (its root is recorded in the test assembly).</summary>
    internal static class Repository
    {
        public static string Root { get; } = typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;

        public static string PathOf(params string[] parts) => Path.Combine(new[] { Root }.Concat(parts).ToArray());

        /// <summary>An example scene in the repository, or beside the test assembly where a bundle carries it (tools/gpu-check).</summary>
        public static string ExampleScene(string sceneName)
        {
            string built = PathOf("scenes", "examples", sceneName);
            return File.Exists(built) ? built : Path.Combine(AppContext.BaseDirectory, "..", "scenes", "examples", sceneName);
        }
    }
}
