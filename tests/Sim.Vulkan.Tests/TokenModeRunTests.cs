using System;
using NUnit.Framework;
using Sim.Core.Compute;
using Sim.Core.Pipeline;
using Sim.Core.Tokens;
using Sim.Tests.Shared;

namespace Sim.Vulkan.Tests
{
    /// <summary>
    /// A token-mode run on the Vulkan backend against the same run on the CPU: the same requests and measures bit for bit,
    /// its attention one submission a step (counted on the backend) and never the per-call kernel.
    /// </summary>
    public class TokenModeRunTests
    {
        static Simulation Run(string policy, IComputeBackend backend) => TokenModeRun.Run(policy, 10, 600, 30, backend);

        [TestCase("snapkv")]
        [TestCase("h2o")]
        public void AVulkanRunEqualsTheCpuRunWithOneAttentionSubmissionAStep(string policy)
        {
            DeviceRequirement.Require();
            using VulkanBackend vulkan = VulkanBackend.Create(TimeSpan.FromSeconds(60));
            using Simulation cpu = Run(policy, CpuBackend.Instance);
            using Simulation device = Run(policy, vulkan);
            Assert.That(device.Steps, Is.EqualTo(cpu.Steps));
            Assert.That(device.Log.Records.ToArray(), Is.EqualTo(cpu.Log.Records.ToArray()));
            KvCompressionStats expected = cpu.World.GetResource<TokenStore>().Stats, actual = device.World.GetResource<TokenStore>().Stats;
            Assert.That(actual.RetainedMass.Count, Is.GreaterThan(100), "decode steps were scored");
            Assert.That(new[] { actual.RetainedMass.Sum, actual.OutputError.Sum }, Is.EqualTo(new[] { expected.RetainedMass.Sum, expected.OutputError.Sum }));
            Assert.That(actual.TokensEvicted, Is.EqualTo(expected.TokensEvicted));

            TokenStore tokens = device.World.GetResource<TokenStore>();
            // Every step whose sequences attended: at least one decode step a request, fewer than the run's steps.
            Assert.That(tokens.AttentionSteps, Is.GreaterThanOrEqualTo(30).And.LessThanOrEqualTo(device.Steps));
            // 600-token prompts stay under a pass's 4M probabilities (h2o: 600 x 601 / 2 x 8 copies = 1.4M a sequence).
            Assert.That(vulkan.AttentionSubmissions, Is.EqualTo(tokens.AttentionSteps), "one attention submission a step, none per call");
        }
    }
}
