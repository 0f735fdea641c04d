using System;
using System.IO;
using System.Text.Json.Nodes;
using NUnit.Framework;
using Sim.Tests.Shared;
using Sim.Vulkan;

namespace Sim.Headless.Tests
{
    /// <summary>Whole scenes on the CPU kernels and on the Vulkan ones: the same outputs but for the backend's name and the wall time.</summary>
    public class BackendParityTests
    {
        string _dir = "";

        [SetUp]
        public void MakeFolder()
        {
            _dir = Path.Combine(TestContext.CurrentContext.TestDirectory, "backend-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
        }

        [TearDown]
        public void RemoveFolder() => Directory.Delete(_dir, true);

        /// <summary>Developer machines without Vulkan skip; CI installs lavapipe, so there a missing device fails.</summary>
        static void RequireVulkan()
        {
            VulkanAvailability availability = VulkanProbe.Probe();
            if (availability.IsAvailable) return;
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail("no Vulkan device: " + availability.Reason);
            Assert.Ignore("no Vulkan device: " + availability.Reason);
        }

        string Run(string scene, string backend, params string[] flags)
        {
            string outDir = Path.Combine(_dir, backend);
            var args = new System.Collections.Generic.List<string> { "run", Repository.PathOf("scenes", "examples", scene), "--requests", "40", "--backend", backend, "--out", outDir, "--json" };
            args.AddRange(flags);
            var (code, stdout, stderr) = CliRunner.Run(args.ToArray());
            Assert.That(code, Is.EqualTo(0), stderr);
            return stdout;
        }

        [TestCase("moe-mixtral-offload.yaml")]
        [TestCase("synthetic-poisson-llama3-8b.yaml", "--set", "kv.token_level=true", "--set", "kv.compression.policy=h2o", "--set", "kv.compression.budget_tokens=256")]
        [TestCase("mooncake-prefix-llama3.1-70b.yaml")]
        public void VulkanAndCpuGiveTheSameRun(string scene, params string[] flags)
        {
            RequireVulkan();
            JsonNode cpu = JsonNode.Parse(Run(scene, "cpu", flags))!, vulkan = JsonNode.Parse(Run(scene, "vulkan", flags))!;
            Assert.That((string?)vulkan["backend"], Is.EqualTo("vulkan"));
            foreach (JsonNode summary in new[] { cpu, vulkan })
            {
                summary.AsObject().Remove("backend");
                summary.AsObject().Remove("wall_s");
            }
            Assert.That(vulkan.ToJsonString(), Is.EqualTo(cpu.ToJsonString()));
            foreach (string file in new[] { "requests.csv", "iterations.csv" })
                Assert.That(File.ReadAllBytes(Path.Combine(_dir, "vulkan", file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(_dir, "cpu", file))), file);
        }

        [Test]
        public void AnUnknownBackendIsOneLineExit2()
        {
            var (code, _, error) = CliRunner.Run("run", Repository.PathOf("scenes", "examples", "synthetic-poisson-llama3-8b.yaml"), "--backend", "cuda", "--out", Path.Combine(_dir, "x"));
            Assert.That(code, Is.EqualTo(2));
            Assert.That(error.Trim(), Does.StartWith("error: --backend").And.Contain("use auto, cpu or vulkan"));
        }
    }
}
