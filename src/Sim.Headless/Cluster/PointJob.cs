using System;
using System.Security.Cryptography;
using System.Text;
using Orleans;

namespace Sim.Headless.Cluster
{
    /// <summary>
    /// One simulation as a worker receives it: the scene file's text and name, the overrides, and the trace by content
    /// hash (the worker fetches it from the client once and keeps it), then the flags a command applies after loading.
    /// </summary>
    [GenerateSerializer]
    public sealed class PointJob
    {
        /// <summary>The scene file's name; the scene is named after it when it has no <c>name:</c>.</summary>
        [Id(0)] public string SceneFileName { get; set; } = "";

        [Id(1)] public string SceneText { get; set; } = "";

        [Id(2)] public string[] Overrides { get; set; } = Array.Empty<string>();

        /// <summary>SHA-256 of the trace file (lower-case hex); empty for a synthetic workload.</summary>
        [Id(3)] public string TraceSha256 { get; set; } = "";

        [Id(4)] public string TraceFileName { get; set; } = "";

        [Id(5)] public long TraceBytes { get; set; }

        /// <summary>The trace replaces the scene's own workload (a <c>--trace</c> flag), dropping any synthetic arrivals.</summary>
        [Id(6)] public bool TraceReplacesWorkload { get; set; }

        [Id(7)] public string? TraceFormat { get; set; }

        [Id(8)] public long? MaxRequests { get; set; }

        [Id(9)] public long? Seed { get; set; }

        [Id(10)] public double? TimeScale { get; set; }

        /// <summary>Only the summary is wanted (a capacity probe): the worker runs the scene as <c>sim capacity</c> does locally.</summary>
        [Id(11)] public bool SummaryOnly { get; set; }

        public PointJob At(double timeScale)
        {
            var job = (PointJob)MemberwiseClone();
            job.TimeScale = timeScale;
            return job;
        }

        /// <summary>A digest of everything that decides the result, naming the point's file in a resumable output folder.</summary>
        public string Digest()
        {
            var text = new StringBuilder();
            foreach (string part in new[] { SceneFileName, SceneText, string.Join("\n", Overrides), TraceSha256, TraceFileName, TraceReplacesWorkload ? "1" : "0",
                TraceFormat ?? "", MaxRequests?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", Seed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
                TimeScale.HasValue ? BitConverter.DoubleToInt64Bits(TimeScale.Value).ToString(System.Globalization.CultureInfo.InvariantCulture) : "", SummaryOnly ? "1" : "0" })
                text.Append(part.Length).Append(':').Append(part).Append('\n');
            return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))).ToLowerInvariant();
        }
    }
}
