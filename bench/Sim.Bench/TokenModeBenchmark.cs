using System;
using System.Diagnostics;
using System.Globalization;
using Sim.Core.Components;
using Sim.Core.Compute;
using Sim.Core.Ecs;
using Sim.Core.Kv;
using Sim.Core.Tokens;

namespace Sim.Bench
{
    /// <summary>
    /// <c>tokens [POLICY]</c>: the token store alone at scale: 128 sequences of 1,563 positions (200,000 between them,
    /// each one token copy per layer group and head) are prefilled (timed: H2O scores every prompt query), then take
    /// decode steps for 2 seconds; prints decode steps (one token for every sequence) per second. Each step runs the
    /// attention kernel over every position of every copy and the policy's eviction.
    /// </summary>
    public static class TokenModeBenchmark
    {
        const int Sequences = 128, PromptTokens = 1563, BlockTokens = 16;

        public static int Run(string[] args)
        {
            string policyName = args.Length > 1 ? args[1] : "h2o";
            var compression = new KvCompression { Policy = KvCompression.Parse(policyName), BudgetTokens = policyName == "full" ? 0 : PromptTokens, RecentTokens = 256 };
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
            while (clock.Elapsed.TotalSeconds < 2)
            {
                DecodeStep(store, pool, tables, slots, positions++);
                steps++;
            }
            double seconds = clock.Elapsed.TotalSeconds;
            long resident = 0;
            for (int s = 0; s < Sequences; s++) resident += store.ResidentTokens(slots[s]);
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "tokens ({0}): {1} sequences, {2} resident token copies, prefill {7:F2} s, {3} decode steps in {4:F2} s = {5:F1} steps/s; mean attention mass retained {6:F3}",
                policyName, Sequences, resident, steps, seconds, steps / seconds, store.Stats.RetainedMass.Mean, prefillSeconds));
            return 0;
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
