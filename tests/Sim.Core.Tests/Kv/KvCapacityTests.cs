using System;
using System.IO;
using NUnit.Framework;
using Sim.Core.Kv;
using Sim.Core.Scenes;

namespace Sim.Core.Tests.Kv
{
    /// <summary>KV capacity after weights and the memory reserved for activations and the runtime, in GiB as vLLM counts.</summary>
    public class KvCapacityTests
    {
        string _dir = "";

        [SetUp]
        public void MakeFolder()
        {
            _dir = Path.Combine(TestContext.CurrentContext.TestDirectory, "kv-capacity-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
        }

        [TearDown]
        public void RemoveFolder() => Directory.Delete(_dir, true);

        long CapacityTokens(string kv)
        {
            string path = Path.Combine(_dir, "scene.yaml");
            File.WriteAllText(path, "model: llama-2-70b\nhardware: a100-80g\nparallelism: { tp: 2 }\nkv: { memory_fraction: 0.9" + kv + " }\nworkload:\n  trace: t.csv\n");
            Scene scene = SceneLoader.Load(path, Array.Empty<string>());
            return (long)KvCapacity.PagesPerReplica(scene, ReplicaPool.MixedOf(scene)) * scene.BlockTokens;
        }

        // Worked by hand. 0.9 x 80 GiB x 2 GPUs = 154,618,822,656 bytes; weights 68,976,648,192 parameters x 2 bytes =
        // 137,953,296,384. One token's KV: 80 layers x 2 x 8 heads x 128 dims x 2 bytes = 327,680 bytes; a 16-token page 5,242,880.
        [Test]
        public void TheDefaultReserveFollowsTheModelSizeAndTheGpuCount()
        {
            // Per GPU: 1.79 runtime + 1.79 NCCL (two GPUs) + 1.26 x 8192 / 4096 activations = 6.10 GiB, 6,549,825,126 bytes;
            // 154,618,822,656 - 137,953,296,384 - 2 x 6,549,825,126 = 3,565,876,020 bytes = 680 pages = 10,880 tokens.
            Assert.That(CapacityTokens(""), Is.EqualTo(10_880));
        }

        [Test]
        public void AGivenReserveReplacesTheDefault()
        {
            // No reserve: 16,665,526,272 bytes = 3,178 pages = 50,848 tokens (the figure before the reserve).
            Assert.That(CapacityTokens(", reserved_gib: 0"), Is.EqualTo(50_848));
            // 4 GiB a GPU: 16,665,526,272 - 8,589,934,592 = 8,075,591,680 bytes = 1,540 pages = 24,640 tokens.
            Assert.That(CapacityTokens(", reserved_gib: 4"), Is.EqualTo(24_640));
        }

        [Test]
        public void AnExplicitCapacityOverridesTheReserve()
        {
            Assert.That(CapacityTokens(", capacity_tokens: 40000"), Is.EqualTo(40_000));
            Assert.That(CapacityTokens(", capacity_tokens: 40000, reserved_gib: 70"), Is.EqualTo(40_000));
        }

        [Test]
        public void TheDefaultIsSmallerForASmallModelOnOneGpu()
        {
            // Llama-3-8B (hidden 4,096) on one GPU: 1.79 + 1.26 = 3.05 GiB, vLLM's profile of that model (non-torch plus activation peak).
            var model = new Sim.Core.PerfModel.ModelSpec { HiddenSize = 4096 };
            Assert.That(KvCapacity.DefaultReservedBytesPerGpu(model, 1), Is.EqualTo((long)(3.05 * 1073741824.0)));
            Assert.That(KvCapacity.DefaultReservedBytesPerGpu(model, 2), Is.EqualTo((long)(4.84 * 1073741824.0)));
        }

        [Test]
        public void AReserveBeyondOneGpusMemoryIsRefused()
        {
            var e = Assert.Throws<SimInputException>(() => CapacityTokens(", reserved_gib: 81"))!;
            Assert.That(e.Field, Is.EqualTo("kv.reserved_gib"));
            Assert.That(e.Problem, Is.EqualTo("more than one GPU's HBM (80.0 GiB on a100-80g)"));
        }
    }
}
