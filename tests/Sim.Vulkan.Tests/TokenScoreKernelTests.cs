using System;
using System.Linq;
using CsCheck;
using NUnit.Framework;
using Sim.Core.Compute;
using Sim.Core.Tokens;
using Sim.Core.Tokens.Policies;

namespace Sim.Vulkan.Tests
{
    /// <summary>
    /// Token-compression keys on the device against the CPU kernel (each policy's rule file), for every registered policy
    /// id: equal to the bit, over random token columns with ties, zeros and protected positions.
    /// </summary>
    public class TokenScoreKernelTests
    {
        // Scores drawn from a small pool give ties; zeros of both signs, the smallest subnormal and a large value too.
        static readonly float[] ScorePool = { 0f, -0f, float.Epsilon, 1e-30f, 0.25f, 0.5f, 1f, 3.75f, 1e20f };

        [Test]
        public void EveryPolicyKeysAsItsRuleDoes()
        {
            using VulkanContext context = OpenContext();
            using var gpu = new TokenScoreKernel(context, TimeSpan.FromSeconds(60));
            Gen.Select(Gen.Int[1, 5000], Gen.Int[0, CompressionPolicies.Count - 1], Gen.Int[0, 1_000_000]).Sample(
                (count, policy, seed) => AssertParity(gpu, count, (CompressionPolicy)policy, seed),
                iter: 40, threads: 1); // one device queue: dispatches must not overlap
        }

        [TestCase(1)]
        [TestCase(100_000)]
        public void EveryPolicyAtTheEndsOfTheSizeRange(int count)
        {
            using VulkanContext context = OpenContext();
            using var gpu = new TokenScoreKernel(context, TimeSpan.FromSeconds(60));
            for (int id = 0; id < CompressionPolicies.Count; id++) AssertParity(gpu, count, (CompressionPolicy)id, count + id);
        }

        /// <summary>
        /// The shader has a case for exactly the registered ids: each registered id gives keys (no NaN, the shader's
        /// mark for a missing case) and the first id past the registry gives only NaN. A row added without its shader
        /// case, or a case left without its row, fails here.
        /// </summary>
        [Test]
        public void TheShaderHasACaseForEveryRegisteredIdAndNoOther()
        {
            using VulkanContext context = OpenContext();
            using var gpu = new TokenScoreKernel(context, TimeSpan.FromSeconds(60));
            const int count = 500;
            Columns columns = RandomColumns(count, new Random(7), out TokenKeyArguments arguments);
            var keys = new float[count];
            for (int id = 0; id < CompressionPolicies.Count; id++)
            {
                gpu.TokenKeys((uint)id, arguments, columns.Positions, columns.Scores, columns.LastImportant, columns.Recurrence, keys);
                Assert.That(keys.Count(float.IsNaN), Is.Zero, ((CompressionPolicy)id).NameOf() + " has no case in token_score.comp");
            }
            gpu.TokenKeys((uint)CompressionPolicies.Count, arguments, columns.Positions, columns.Scores, columns.LastImportant, columns.Recurrence, keys);
            Assert.That(keys.All(float.IsNaN), Is.True, "token_score.comp has a case for id " + CompressionPolicies.Count + ", which no registry row holds");
        }

        static VulkanContext OpenContext()
        {
            DeviceRequirement.Require();
            return VulkanContext.Create(validationIfPresent: true);
        }

        sealed class Columns
        {
            public int[] Positions = Array.Empty<int>(), LastImportant = Array.Empty<int>(), Recurrence = Array.Empty<int>();
            public float[] Scores = Array.Empty<float>();
        }

        /// <summary>
        /// Positions in [0, sequence length + 8) (repeats and ones past the sequence included), scores from the pool,
        /// never-important tokens (−1) among steps before the sequence's end, intervals up to its length; protection
        /// parameters from 0 up to 40, so every token is sometimes protected and sometimes ranked.
        /// </summary>
        static Columns RandomColumns(int count, Random random, out TokenKeyArguments arguments)
        {
            int sequence = random.Next(1, 2 * count + 2);
            arguments = new TokenKeyArguments(sequence, random.Next(0, 41), random.Next(0, 41), random.Next(0, 41));
            var columns = new Columns
            {
                Positions = new int[count],
                Scores = new float[count],
                LastImportant = new int[count],
                Recurrence = new int[count],
            };
            for (int i = 0; i < count; i++)
            {
                columns.Positions[i] = random.Next(0, sequence + 8);
                columns.Scores[i] = random.Next(3) == 0 ? ScorePool[random.Next(ScorePool.Length)] : (float)random.NextDouble() * 100;
                columns.LastImportant[i] = random.Next(4) == 0 ? -1 : random.Next(0, sequence);
                columns.Recurrence[i] = random.Next(0, sequence + 1);
            }
            return columns;
        }

        static void AssertParity(TokenScoreKernel gpu, int count, CompressionPolicy policy, int seed)
        {
            Columns columns = RandomColumns(count, new Random(seed), out TokenKeyArguments arguments);
            var cpu = new float[count];
            var device = new float[count];
            CpuBackend.Instance.TokenKeys(policy, arguments, columns.Positions, columns.Scores, columns.LastImportant, columns.Recurrence, cpu);
            gpu.TokenKeys(policy, arguments, columns.Positions, columns.Scores, columns.LastImportant, columns.Recurrence, device);
            // Bit patterns: −0 and +0, and every NaN, count as different.
            Assert.That(device.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(cpu.Select(BitConverter.SingleToInt32Bits)), policy.NameOf());
        }
    }
}
