using System;
using System.Diagnostics;
using System.Globalization;
using Sim.Core.Components;
using Sim.Core.Compute;
using Sim.Core.Ecs;
using Sim.Core.Kv;
using Sim.Core.Tokens;
using Sim.Core.Tokens.Policies;

namespace Sim.Bench
{
    /// <summary>
    /// <c>tokens [POLICY]</c>: the token store alone at scale: 128 sequences of 1,563 positions (200,000 between them,
    /// each one token copy per layer group and head) are prefilled (timed: H2O scores every prompt query), then take
    /// decode steps for 2 seconds; prints decode steps (one token for every sequence) per second, of wall time and of the
    /// process's CPU time (steadier where other work shares the cores). Each step runs the attention kernel over every
    /// position of every copy and the policy's eviction; the kernels' share is timed on their own after.
    /// </summary>
    public static class TokenModeBenchmark
    {
        const int Sequences = 128, PromptTokens = 1563, BlockTokens = 16;

        public static int Run(string[] args)
        {
            string policyName = args.Length > 1 ? args[1] : "h2o";
            var compression = new KvCompression { Policy = CompressionPolicies.Parse(policyName), BudgetTokens = policyName == "full" ? 0 : PromptTokens, RecentTokens = 256 };
            var world = new World();
            var pool = new KvBlockPool(world, 0, Sequences * 200, BlockTokens);
            var store = new TokenStore(world, new AttentionModel().WithSeed(1), compression, CpuBackend.Instance);
            var tables = new KvPageTable[Sequences];
            var slots = new int[Sequences];
            var prefill = Stopwatch.StartNew();
            for (int s = 0; s < Sequences; s++)
            {
                tables[s] = KvBlockPool.EmptyTable;
                slots[s] = store.Open(s, PromptTokens);
                pool.TryReserve(ref tables[s], PromptTokens);
                store.Advance(slots[s], 0, PromptTokens, emitsToken: true, ref tables[s], pool, 0.01);
            }
            double prefillSeconds = prefill.Elapsed.TotalSeconds;
            int positions = PromptTokens, steps = 0;
            // The first decode grows every sequence's arrays past the prompt; steady-state steps are timed after it.
            DecodeStep(store, pool, tables, slots, positions++);
            var clock = Stopwatch.StartNew();
            TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            while (clock.Elapsed.TotalSeconds < 2)
            {
                DecodeStep(store, pool, tables, slots, positions++);
                steps++;
            }
            double seconds = clock.Elapsed.TotalSeconds;
            double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            long resident = 0;
            for (int s = 0; s < Sequences; s++) resident += store.ResidentTokens(slots[s]);
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "tokens ({0}): {1} sequences, {2} resident token copies, prefill {7:F2} s, {3} decode steps in {4:F2} s = {5:F1} steps/s ({8:F1} per CPU second: the figure to compare on a shared machine); mean attention mass retained {6:F3}",
                policyName, Sequences, resident, steps, seconds, steps / seconds, store.Stats.RetainedMass.Mean, prefillSeconds, steps / cpuSeconds));
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "  of a step: the attention kernel alone (every copy of every sequence over {0} positions) {1:F1} ms", positions, KernelMsPerStep(positions)));
            return 0;
        }

        /// <summary>What one step's attention kernels take on their own: the floor under a step's time.</summary>
        static double KernelMsPerStep(int positions)
        {
            var attention = new AttentionModel().WithSeed(1);
            var keys = new float[positions * AttentionModel.KeyDim];
            var query = new float[AttentionModel.KeyDim];
            var probabilities = new float[positions];
            for (int i = 0; i < positions; i++) attention.KeyOf(0, 0, i, PromptTokens, new Span<float>(keys, i * AttentionModel.KeyDim, AttentionModel.KeyDim));
            attention.QueryOf(0, 0, positions - 1, PromptTokens, query);
            var clock = Stopwatch.StartNew();
            int calls = Sequences * attention.Copies;
            for (int call = 0; call < calls; call++) CpuBackend.Instance.AttentionProbabilities(keys, positions, query, 0.004f, probabilities);
            return clock.Elapsed.TotalMilliseconds;
        }

        static void DecodeStep(TokenStore store, KvBlockPool pool, KvPageTable[] tables, int[] slots, int positions)
        {
            for (int s = 0; s < Sequences; s++)
            {
                pool.TryReserve(ref tables[s], positions + 1);
                store.Advance(slots[s], positions, positions + 1, emitsToken: true, ref tables[s], pool, 0.01);
            }
        }
    }
}
