using System;
using System.IO;
using System.Linq;
using NUnit.Framework;
using Sim.Core.Metrics;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Headless.Output;
using Sim.Tests.Shared;

namespace Sim.Headless.Tests
{
    /// <summary>A run stopped, saved and restored writes the same output files as the run that never stopped.</summary>
    public class SnapshotOutputTests
    {
        static (byte[] Requests, string[] Summary) Outputs(Simulation simulation)
        {
            using var requests = new MemoryStream();
            RequestsCsv.Write(requests, simulation.Log);
            using var summary = new MemoryStream();
            SummaryJson.Write(summary, SummaryBuilder.Build(simulation, "cpu", 0));
            string[] lines = System.Text.Encoding.UTF8.GetString(summary.ToArray()).Split('\n').Where(l => !l.Contains("\"wall_s\"")).ToArray();
            return (requests.ToArray(), lines);
        }

        static Simulation Build(Scene scene)
        {
            SceneWorkload workload = SceneWorkload.Open(scene);
            return new Simulation(scene, workload.Requests, workload.Count, workload.SourceName);
        }

        [TestCase("azure-conv-4x-llama2-70b.yaml", 2000)]
        [TestCase("mooncake-prefix-llama3.1-70b.yaml", 700)]
        public void RestoredRunsWriteByteIdenticalRequestsAndSummary(string example, int step)
        {
            Scene scene = SceneLoader.Load(Repository.PathOf("scenes", "examples", example), new[] { "workload.requests=600" });
            using Simulation uninterrupted = Build(scene);
            uninterrupted.Run();
            using Simulation first = Build(scene);
            for (int i = 0; i < step; i++) first.Step();
            using Simulation restored = Build(scene);
            restored.Load(first.Save());
            restored.Run();
            var (requests, summary) = Outputs(restored);
            var (expectedRequests, expectedSummary) = Outputs(uninterrupted);
            Assert.That(requests, Is.EqualTo(expectedRequests));
            Assert.That(summary, Is.EqualTo(expectedSummary));
        }
    }
}
