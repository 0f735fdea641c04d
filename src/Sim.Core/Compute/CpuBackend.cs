using System;
using Sim.Core.Kv;

namespace Sim.Core.Compute
{
    /// <summary>The reference implementation of every kernel, in plain loops.</summary>
    public sealed class CpuBackend : IComputeBackend
    {
        public static readonly CpuBackend Instance = new CpuBackend();

        public string Name => "cpu";

        public void ScoreEviction(EvictionPolicy policy, ReadOnlySpan<PageUsage> pages, double inflationScore, Span<double> scores)
        {
            if (scores.Length < pages.Length) throw new ArgumentException("one score per page", nameof(scores));
            for (int i = 0; i < pages.Length; i++)
            {
                PageUsage page = pages[i];
                scores[i] = policy switch
                {
                    EvictionPolicy.Lfu => page.AccessCount,
                    EvictionPolicy.Fifo => page.CachedAtS,
                    EvictionPolicy.SizeAware => inflationScore + (double)page.AccessCount / Math.Max(1, page.ChainPages),
                    _ => page.LastAccessS,
                };
            }
        }
    }
}
