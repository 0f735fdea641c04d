using System;
using System.Collections.Generic;
using Sim.Core.Metrics;

namespace Sim.Core.Trace
{
    /// <summary>What <c>sim trace stats</c> reports: counts, rates, nearest-rank token quantiles and, for traces with block hashes, prefix reuse.</summary>
    public sealed class TraceStats
    {
        static readonly int[] NoHashIds = new int[0];

        public long Count { get; private set; }

        /// <summary>Last arrival minus first arrival.</summary>
        public double DurationS { get; private set; }

        /// <summary>Count / duration; 0 when every request arrives at once.</summary>
        public double ArrivalRatePerS => DurationS > 0 ? Count / DurationS : 0;

        /// <summary>Mean and nearest-rank p50/p90/p99/max (the q-quantile of n sorted values is the one of rank ceil(q·n)).</summary>
        public Distribution PromptTokens { get; private set; }

        public Distribution OutputTokens { get; private set; }

        public long TotalPromptTokens { get; private set; }

        public long TotalOutputTokens { get; private set; }

        /// <summary>Whether any request carried prefix block hashes; the prefix figures are meaningful only then.</summary>
        public bool HasPrefixHashes { get; private set; }

        /// <summary>Hit tokens / prompt tokens over all requests with an unbounded block cache (see docs/TRACES.md).</summary>
        public double InfiniteCacheHitTokenRatio { get; private set; }

        /// <summary>The same ratio for an LRU cache, by its size in tokens; enumerates in ascending size.</summary>
        public IReadOnlyDictionary<long, double> LruHitTokenRatio { get; private set; } = new SortedDictionary<long, double>();

        /// <param name="requests">Read once, in arrival order.</param>
        /// <param name="cacheTokens">LRU cache sizes in tokens to replay (repeats are replayed once).</param>
        public static TraceStats Compute(IEnumerable<TraceRequest> requests, IReadOnlyList<long> cacheTokens)
        {
            var sizes = new SortedSet<long>(cacheTokens);
            if (sizes.Count > 0 && sizes.Min < 0) throw new ArgumentOutOfRangeException(nameof(cacheTokens), sizes.Min, "cache sizes must not be negative");
            var infinite = new PrefixBlockCache(null);
            var lru = new List<KeyValuePair<long, PrefixBlockCache>>();
            foreach (long size in sizes) lru.Add(new KeyValuePair<long, PrefixBlockCache>(size, new PrefixBlockCache(size)));

            var prompts = new List<double>();
            var outputs = new List<double>();
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
                stats.HasPrefixHashes |= request.HashIds != null;
                // A request without hashes still counts its prompt tokens, all of them misses.
                int[] hashIds = request.HashIds ?? NoHashIds;
                infinite.Add(hashIds, request.PromptTokens);
                foreach (var cache in lru) cache.Value.Add(hashIds, request.PromptTokens);
            }
            stats.DurationS = lastS - firstS;
            stats.PromptTokens = Quantiles.Summarize(prompts.ToArray(), prompts.Count);
            stats.OutputTokens = Quantiles.Summarize(outputs.ToArray(), outputs.Count);
            stats.InfiniteCacheHitTokenRatio = infinite.HitTokenRatio;
            var ratios = new SortedDictionary<long, double>();
            foreach (var cache in lru) ratios[cache.Key] = cache.Value.HitTokenRatio;
            stats.LruHitTokenRatio = ratios;
            return stats;
        }
    }
}
