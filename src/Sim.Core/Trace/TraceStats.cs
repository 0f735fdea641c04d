using System;
using System.Collections.Generic;
using Sim.Core.Metrics;

namespace Sim.Core.Trace
{
    /// <summary>What <c>sim trace stats</c> reports: counts, rates, nearest-rank token quantiles and, for traces with block hashes, prefix reuse.</summary>
    public sealed class TraceStats
    {
        public long Count { get; private set; }

        public double DurationS { get; private set; }

        public double ArrivalRatePerS => DurationS > 0 ? Count / DurationS : 0;

        public Distribution PromptTokens { get; private set; }

        public Distribution OutputTokens { get; private set; }

        public long TotalPromptTokens { get; private set; }

        public long TotalOutputTokens { get; private set; }

        /// <summary>Whether any request carried prefix block hashes; the prefix figures are meaningful only then.</summary>
        public bool HasPrefixHashes { get; private set; }

        public double InfiniteCacheHitTokenRatio { get; private set; }

        /// <summary>Hit-token ratio of an LRU cache, by its size in tokens, in the order the sizes were asked for.</summary>
        public IReadOnlyList<KeyValuePair<long, double>> LruHitTokenRatio { get; private set; } = Array.Empty<KeyValuePair<long, double>>();

        public static TraceStats Compute(IEnumerable<TraceRequest> requests, IReadOnlyList<long> cacheTokens)
        {
            var prompts = new List<double>();
            var outputs = new List<double>();
            var infinite = new PrefixBlockCache(null);
            var lru = new PrefixBlockCache[cacheTokens.Count];
            for (int i = 0; i < lru.Length; i++) lru[i] = new PrefixBlockCache(cacheTokens[i]);
            var stats = new TraceStats();
            double firstS = 0, lastS = 0;
            foreach (TraceRequest request in requests)
            {
                if (stats.Count++ == 0) firstS = request.ArrivalS;
                lastS = request.ArrivalS;
                prompts.Add(request.PromptTokens);
                outputs.Add(request.OutputTokens);
                stats.TotalPromptTokens += request.PromptTokens;
                stats.TotalOutputTokens += request.OutputTokens;
                if (request.HashIds == null) continue;
                stats.HasPrefixHashes = true;
                infinite.Add(request.HashIds, request.PromptTokens);
                foreach (PrefixBlockCache cache in lru) cache.Add(request.HashIds, request.PromptTokens);
            }
            stats.DurationS = lastS - firstS;
            stats.PromptTokens = Quantiles.Summarize(prompts.ToArray(), prompts.Count);
            stats.OutputTokens = Quantiles.Summarize(outputs.ToArray(), outputs.Count);
            stats.InfiniteCacheHitTokenRatio = infinite.HitTokenRatio;
            var ratios = new KeyValuePair<long, double>[lru.Length];
            for (int i = 0; i < lru.Length; i++) ratios[i] = new KeyValuePair<long, double>(cacheTokens[i], lru[i].HitTokenRatio);
            stats.LruHitTokenRatio = ratios;
            return stats;
        }
    }
}
