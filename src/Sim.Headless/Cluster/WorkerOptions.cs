using System;
using System.IO;
using System.Reflection;

namespace Sim.Headless.Cluster
{
    /// <summary>A worker's settings: points at once, where fetched traces and scenes are kept, the build it reports.</summary>
    public sealed class WorkerOptions
    {
        public int Slots { get; set; } = Environment.ProcessorCount;

        public string CacheDir { get; set; } = DefaultCacheDir();

        /// <summary>Workers and clients must be the same build: the same point gives the same bytes only on the same simulator.</summary>
        public string Version { get; set; } = BuildVersion();

        /// <summary>The build's informational version (the release and the commit it was built from).</summary>
        public static string BuildVersion() =>
            typeof(WorkerOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

        static string DefaultCacheDir()
        {
            string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            string root = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(root, "sim-worker");
        }
    }
}
