using NUnit.Framework;
using Sim.Core.Compute;
using Sim.Core.Scenes;
using Sim.Tests.Shared;

namespace Sim.Core.Tests.Compute
{
    /// <summary><c>--backend auto</c>'s once-a-run decision: the scene's sizes worked out by hand, and each side of each crossover.</summary>
    public class AutoBackendRuleTests
    {
        static Scene Example(string name, params string[] overrides) => SceneLoader.Load(Repository.PathOf("scenes", "examples", name), overrides);

        [Test]
        public void SizesComeFromTheScene()
        {
            // 1 replica x 64 sequences (max_num_seqs) x (2,000-token prompt + half a 256-token answer) x 4 layer groups x 2 heads.
            RunSizes tokens = RunSizes.Of(Example("long-prompt-kv-compression-llama3-8b.yaml"));
            Assert.That(tokens.ResidentTokens, Is.EqualTo(64.0 * (2000 + 128) * 8));
            Assert.That(tokens.GateLogitsPerCall, Is.EqualTo(0));
            // Two replicas, a batch bounded by 32 batch tokens, log-normal prompts of mean 800, uniform 32..512-token answers (mean 272).
            RunSizes bounded = RunSizes.Of(Example("synthetic-poisson-llama3-8b.yaml", "kv.token_level=true", "cluster.replicas=2", "scheduler.max_batch_tokens=32"));
            Assert.That(bounded.ResidentTokens, Is.EqualTo(2.0 * 32 * (800 + 136) * 8));
            // Mixtral: 8 sampled tokens a gate call (the default) x 8 experts.
            RunSizes moe = RunSizes.Of(Example("moe-mixtral-offload.yaml"));
            Assert.That(moe.GateLogitsPerCall, Is.EqualTo(64));
            Assert.That(moe.ResidentTokens, Is.EqualTo(0));
            RunSizes plain = RunSizes.Of(Example("llama2-70b-a100-tp2-vllm.yaml"));
            Assert.That(plain.ResidentTokens + plain.GateLogitsPerCall, Is.EqualTo(0));
        }

        [Test]
        public void OnlyADiscreteGpuPastAMeasuredCrossoverGetsTheRun()
        {
            var huge = new RunSizes(1e9, 1e9);
            Assert.That(AutoBackendRule.Decide(huge, AutoDevice.None, "").OnDevice, Is.False);
            AutoChoice lavapipe = AutoBackendRule.Decide(huge, AutoDevice.HostShared, "llvmpipe (Cpu)");
            Assert.That(lavapipe.OnDevice, Is.False);
            Assert.That(lavapipe.Line, Is.EqualTo("backend auto: cpu (1.0e9 resident tokens a step, 1.0e9 gate logits a call; llvmpipe (Cpu) shares the CPU's cores "
                + "and lost to it at every size measured: up to 1.0e6 resident tokens by bench scale, 1.0e6 gate logits by bench kernels)"));
            // The gate's crossover on an H200: 1e5 logits a call.
            Assert.That(AutoBackendRule.Decide(new RunSizes(0, 99_999), AutoDevice.Discrete, "H200").OnDevice, Is.False);
            AutoChoice gate = AutoBackendRule.Decide(new RunSizes(0, 100_000), AutoDevice.Discrete, "H200");
            Assert.That(gate.OnDevice, Is.True);
            Assert.That(gate.Line, Does.StartWith("backend auto: vulkan on H200 (1.0e5 gate logits a call >= crossover 1.0e5 measured on an H200"));
            // Token mode's resident attention has no crossover measured on a discrete GPU: even a huge step stays on the CPU.
            AutoChoice tokens = AutoBackendRule.Decide(new RunSizes(1.1e6, 0), AutoDevice.Discrete, "H200");
            Assert.That(tokens.OnDevice, Is.False);
            Assert.That(tokens.Line, Does.StartWith("backend auto: cpu (1.1e6 resident tokens a step on H200"));
        }
    }
}
