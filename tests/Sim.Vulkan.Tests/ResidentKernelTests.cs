using System;
using System.Linq;
using NUnit.Framework;
using Sim.Core.Compute;
using Sim.Core.Kv;

namespace Sim.Vulkan.Tests
{
    /// <summary>
    /// The resident kernels against their CPU references over several steps, with columns written in scattered
    /// ranges between steps: the same victims, loads and selections every step and the same final columns, bit for
    /// bit, on mapped buffers and through staging copies (what a discrete GPU takes).
    /// </summary>
    public class ResidentKernelTests
    {
        static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

        static VulkanContext Open(bool staging)
        {
            DeviceRequirement.Require();
            VulkanContext context = VulkanContext.Create(validationIfPresent: true, forceStaging: staging);
            if (!context.HasFloat64)
            {
                context.Dispose();
                Assert.Ignore("the device has no double-precision shaders");
            }
            return context;
        }

        [TestCase(false, true)]
        [TestCase(false, false)]
        [TestCase(true, true)]
        public void AttentionStepsGiveTheCpusVictimsAndScores(bool staging, bool subgroups)
        {
            using VulkanContext context = Open(staging);
            var random = new Random(11);
            // Sequences of uneven lengths, some longer than a workgroup, some a multiple of it.
            int[] counts = { 2, 3, 64, 65, 200, 7, 128, 300, 31 };
            var sequences = new SequenceQuery[counts.Length];
            int positions = 0;
            for (int s = 0; s < counts.Length; s++)
            {
                sequences[s] = new SequenceQuery { FirstPosition = positions, Count = counts[s] };
                positions += counts[s] + random.Next(3); // gaps between sequences stay untouched
            }
            using var cpu = new CpuResidentAttention(positions);
            using var gpu = new ResidentAttention(context, positions, Timeout, subgroups);
            var keys = new float[positions * 8];
            for (int i = 0; i < keys.Length; i++) keys[i] = (float)(random.NextDouble() * 4 - 2);
            cpu.WriteKeys(0, keys);
            gpu.WriteKeys(0, keys);
            int[] cpuVictims = new int[counts.Length], gpuVictims = new int[counts.Length];
            for (int step = 0; step < 6; step++)
            {
                for (int s = 0; s < sequences.Length; s++)
                {
                    ref SequenceQuery sequence = ref sequences[s];
                    sequence.FreshSlot = step == 0 ? sequence.Count - 1 : cpuVictims[s];
                    sequence.RecencyDecayPerToken = (float)(random.NextDouble() * 0.05);
                    sequence.Q0 = Draw(random); sequence.Q1 = Draw(random); sequence.Q2 = Draw(random); sequence.Q3 = Draw(random);
                    sequence.Q4 = Draw(random); sequence.Q5 = Draw(random); sequence.Q6 = Draw(random); sequence.Q7 = Draw(random);
                    // The fresh token's key: one position written, the only bytes that travel for it.
                    var key = new float[8];
                    for (int j = 0; j < 8; j++) key[j] = Draw(random) * 2;
                    cpu.WriteKeys(sequence.FirstPosition + sequence.FreshSlot, key);
                    gpu.WriteKeys(sequence.FirstPosition + sequence.FreshSlot, key);
                }
                cpu.Step(sequences, cpuVictims);
                gpu.Step(sequences, gpuVictims);
                Assert.That(gpuVictims, Is.EqualTo(cpuVictims), "step " + step);
            }
            float[] cpuScores = new float[positions], gpuScores = new float[positions];
            cpu.ReadScores(cpuScores);
            gpu.ReadScores(gpuScores);
            Assert.That(gpuScores, Is.EqualTo(cpuScores));
            Assert.That(cpuScores[sequences[0].FirstPosition] + cpuScores[sequences[0].FirstPosition + 1], Is.GreaterThan(0f), "the steps credited the first sequence");
        }

        static float Draw(Random random) => (float)(random.NextDouble() * 2 - 1);

        [TestCase(false, true)]
        [TestCase(false, false)]
        [TestCase(true, true)]
        public void AttentionQueriesGiveTheCpusProbabilities(bool staging, bool subgroups)
        {
            using VulkanContext context = Open(staging);
            var random = new Random(5);
            const int positions = 1500;
            using var cpu = new CpuResidentAttention(positions);
            using var gpu = new ResidentAttention(context, positions, Timeout, subgroups);
            var keys = new float[positions * 8];
            for (int i = 0; i < keys.Length; i++) keys[i] = (float)(random.NextDouble() * 4 - 2);
            cpu.WriteKeys(0, keys);
            gpu.WriteKeys(0, keys);
            // Queries of uneven lengths (one position, a workgroup's worth, past it), overlapping key ranges, outputs packed
            // in another order than the keys, with a gap left untouched.
            int[] firsts = { 0, 10, 700, 64, 1499, 3 }, counts = { 1, 64, 800, 65, 1, 1200 };
            var queries = new AttentionQuery[firsts.Length];
            int outputs = 7;
            for (int q = 0; q < queries.Length; q++)
            {
                queries[q] = new AttentionQuery { FirstPosition = firsts[q], Count = counts[q], OutputOffset = outputs, RecencyDecayPerToken = (float)(random.NextDouble() * 0.02) };
                queries[q].SetQuery(new[] { Draw(random), Draw(random), Draw(random), Draw(random), Draw(random), Draw(random), Draw(random), Draw(random) });
                outputs += counts[q];
            }
            for (int round = 0; round < 2; round++)
            {
                float[] cpuOut = new float[outputs], gpuOut = new float[outputs];
                cpu.Probabilities(queries, cpuOut);
                gpu.Probabilities(queries, gpuOut);
                Assert.That(gpuOut, Is.EqualTo(cpuOut), "round " + round);
                Assert.That(cpuOut[queries[2].OutputOffset + 799], Is.GreaterThan(0f));
                // A changed range of keys, and the queries again over it.
                var changed = new float[100 * 8];
                for (int i = 0; i < changed.Length; i++) changed[i] = Draw(random) * 3;
                cpu.WriteKeys(720, changed);
                gpu.WriteKeys(720, changed);
            }
            Assert.That(gpu.Submissions, Is.EqualTo(2), "one submission a pass");
        }

        [TestCase(false)]
        [TestCase(true)]
        public void GateStepsGiveTheCpusLoadsAndChoices(bool staging)
        {
            using VulkanContext context = Open(staging);
            const int maxTokens = 5000, maxSegments = 12, experts = 64, topK = 6;
            using var cpu = new CpuResidentGate(maxTokens, maxSegments, experts, topK);
            using var gpu = new ResidentGate(context, maxTokens, maxSegments, experts, topK, Timeout);
            var random = new Random(3);
            var logits = new float[maxTokens * experts];
            var segmentOf = new int[maxTokens];
            int[] cpuLoads = new int[maxSegments * experts], gpuLoads = new int[maxSegments * experts];
            int[] cpuChosen = new int[maxTokens * topK], gpuChosen = new int[maxTokens * topK];
            foreach ((int tokens, int segments) in new[] { (5000, 12), (17, 3), (4096, 1), (1, 1), (0, 2) })
            {
                // Few distinct values: ties, broken by the lower expert, are common. Segments in runs, and some scattered.
                for (int i = 0; i < tokens * experts; i++) logits[i] = random.Next(6) * 0.25f;
                for (int t = 0; t < tokens; t++) segmentOf[t] = t % 7 == 0 ? random.Next(segments) : (int)((long)t * segments / tokens);
                cpu.Step(logits, segmentOf, tokens, segments, cpuLoads, cpuChosen);
                gpu.Step(logits, segmentOf, tokens, segments, gpuLoads, gpuChosen);
                Assert.That(gpuLoads.AsSpan(0, segments * experts).ToArray(), Is.EqualTo(cpuLoads.AsSpan(0, segments * experts).ToArray()), tokens + " tokens");
                Assert.That(gpuChosen.AsSpan(0, tokens * topK).ToArray(), Is.EqualTo(cpuChosen.AsSpan(0, tokens * topK).ToArray()), tokens + " tokens");
                for (int segment = 0; segment < segments; segment++)
                {
                    int picks = 0, members = 0;
                    for (int e = 0; e < experts; e++) picks += gpuLoads[segment * experts + e];
                    for (int t = 0; t < tokens; t++) members += segmentOf[t] == segment ? 1 : 0;
                    Assert.That(picks, Is.EqualTo(members * topK), "each token's picks counted once, in its segment, this step's only");
                }
            }
            // A step that leaves the choices on the device: the loads alone come back, and the choices can be read after.
            gpu.Step(logits, segmentOf, 17, 3, gpuLoads, default);
            cpu.Step(logits, segmentOf, 17, 3, cpuLoads, default);
            Assert.That(gpuLoads.AsSpan(0, 3 * experts).ToArray(), Is.EqualTo(cpuLoads.AsSpan(0, 3 * experts).ToArray()));
            cpu.ReadChosen(cpuChosen);
            gpu.ReadChosen(gpuChosen);
            Assert.That(gpuChosen.AsSpan(0, 17 * topK).ToArray(), Is.EqualTo(cpuChosen.AsSpan(0, 17 * topK).ToArray()));
            Assert.That(gpu.Submissions, Is.EqualTo(5), "one submission a step with tokens");
        }

        [TestCase(false)]
        [TestCase(true)]
        public void AllEqualScoresSelectInEntryOrder(bool staging)
        {
            using VulkanContext context = Open(staging);
            // Every score 0: the digits of the scores tie everywhere and the entry orders decide; they run against the
            // block indices (block 999 entered first), and block 500 is not evictable.
            using var gpu = new ResidentBlocks(context, 1000, EvictionPolicy.Lru, Timeout);
            for (int b = 0; b < 1000; b++) gpu.Write(b, default, (uint)(999 - b), 0);
            gpu.Remove(500);
            Assert.That(gpu.Evictable, Is.EqualTo(999));
            // k = 1 searches 11 digits, listing (and returning at once) with each until the last; 777 is done at the first
            // digit, sooner than the last search, so its listing is a submission of its own; 999 lists with its one digit.
            foreach (int k in new[] { 1, 777, 999 })
            {
                var lowest = new int[k];
                var scores = new double[k];
                gpu.Step(lowest, scores);
                int[] expected = System.Linq.Enumerable.Range(0, 1000).Reverse().Where(b => b != 500).Take(k).ToArray();
                Assert.That(lowest, Is.EqualTo(expected), k + " of 999");
                Assert.That(scores, Is.All.EqualTo(0.0), k + " of 999");
            }
        }

        [Test]
        public void BlockFamiliesOfOneContextShareTheirPipelinesAndKeepTheirOwnColumns()
        {
            // One family a replica's prefix cache, all made by one VulkanResidentKernels: the pipelines are built once, and
            // each step binds its own family's buffers, so steps taken in turn give each family's own victims.
            using VulkanContext context = Open(false);
            using var kernels = new VulkanResidentKernels(context, Timeout);
            var random = new Random(3);
            var cpus = new[] { new CpuResidentBlocks(300, EvictionPolicy.Lfu), new CpuResidentBlocks(70, EvictionPolicy.Lfu) };
            var gpus = new[] { kernels.Blocks(300, EvictionPolicy.Lfu), kernels.Blocks(70, EvictionPolicy.Lfu) };
            try
            {
                uint entered = 0;
                for (int round = 0; round < 6; round++)
                    for (int f = 0; f < 2; f++)
                    {
                        for (int w = 0; w < 20; w++)
                        {
                            int block = random.Next(cpus[f].Blocks);
                            var usage = new BlockUsage { AccessCount = random.Next(9) };
                            cpus[f].Write(block, usage, entered, 0);
                            gpus[f].Write(block, usage, entered++, 0);
                        }
                        int k = Math.Min(5, cpus[f].Evictable);
                        int[] cpuLowest = new int[k], gpuLowest = new int[k];
                        double[] cpuScores = new double[k], gpuScores = new double[k];
                        cpus[f].Step(cpuLowest, cpuScores);
                        gpus[f].Step(gpuLowest, gpuScores);
                        Assert.That(gpuLowest, Is.EqualTo(cpuLowest), "round " + round + ", family " + f);
                        Assert.That(gpuScores, Is.EqualTo(cpuScores), "round " + round + ", family " + f);
                    }
            }
            finally
            {
                foreach (IResidentBlocks family in gpus) family.Dispose();
            }
        }

        [TestCase(false, EvictionPolicy.Lru)]
        [TestCase(false, EvictionPolicy.Lfu)]
        [TestCase(false, EvictionPolicy.SizeAware)]
        [TestCase(true, EvictionPolicy.Predicted)]
        [TestCase(true, EvictionPolicy.Fifo)]
        [TestCase(false, EvictionPolicy.Belady)]
        public void BlockStepsSelectTheCpusVictims(bool staging, EvictionPolicy policy)
        {
            using VulkanContext context = Open(staging);
            const int blocks = 3000, victims = 40;
            using var cpu = new CpuResidentBlocks(blocks, policy);
            using var gpu = new ResidentBlocks(context, blocks, policy, Timeout);
            var random = new Random(7);
            // Entry orders as a prefix cache hands them out: each block entering takes the next, in a shuffled order here.
            uint entered = 0;
            int[] entering = System.Linq.Enumerable.Range(0, blocks).OrderBy(_ => random.Next()).ToArray();
            foreach (int b in entering)
            {
                // Coarse times and small counts: equal scores are common, and ties go to the earlier entry.
                var usage = new BlockUsage { LastAccessS = random.Next(50), CachedAtS = random.Next(20), AccessCount = random.Next(4), ChainBlocks = 1 + random.Next(3), PredictedReuse = random.Next(2),
                    NextUseRank = random.Next(4) };
                // Belady's scores are negative, -0 among them (read back as +0 on both). Size-aware adds each block's inflation at entry: a few distinct ones, so entry inflations tie too.
                double entryInflation = 0.5 * random.Next(3);
                cpu.Write(b, usage, entered, entryInflation);
                gpu.Write(b, usage, entered++, entryInflation);
            }
            int[] cpuLowest = new int[victims], gpuLowest = new int[victims];
            double[] cpuScores = new double[victims], gpuScores = new double[victims];
            for (int step = 0; step < 4; step++)
            {
                double nowS = 50 + step;
                cpu.Step(cpuLowest, cpuScores);
                gpu.Step(gpuLowest, gpuScores);
                Assert.That(gpuLowest, Is.EqualTo(cpuLowest), "step " + step);
                Assert.That(Array.ConvertAll(gpuScores, BitConverter.DoubleToInt64Bits), Is.EqualTo(Array.ConvertAll(cpuScores, BitConverter.DoubleToInt64Bits)),
                    "step " + step + ": the victims' scores, bit for bit");
                Assert.That(new System.Collections.Generic.HashSet<int>(gpuLowest), Has.Count.EqualTo(victims), "distinct victims");
                // The victims take new content and enter again later (half of them this step); some others are hit
                // (held: not evictable) and some released again: scattered writes and removals.
                for (int v = 0; v < victims; v++)
                {
                    int victim = cpuLowest[v];
                    cpu.Remove(victim);
                    gpu.Remove(victim);
                    if (v % 2 == 1) continue;
                    var fresh = new BlockUsage { LastAccessS = nowS, CachedAtS = nowS, AccessCount = 1, ChainBlocks = 1 };
                    cpu.Write(victim, fresh, entered, 0.5 * step);
                    gpu.Write(victim, fresh, entered++, 0.5 * step);
                }
                for (int hit = 0; hit < 100; hit++)
                {
                    int b = random.Next(blocks);
                    cpu.Remove(b);
                    gpu.Remove(b);
                    if (hit % 3 == 0) continue;
                    var usage = new BlockUsage { LastAccessS = nowS, CachedAtS = random.Next(20), AccessCount = 1 + random.Next(6), ChainBlocks = 1 + random.Next(3) };
                    cpu.Write(b, usage, entered, 0.5 * step);
                    gpu.Write(b, usage, entered++, 0.5 * step);
                }
                Assert.That(gpu.Evictable, Is.EqualTo(cpu.Evictable));
            }
        }
    }
}
