using System;
using Sim.Core.Experts;
using Sim.Core.Pipeline;
using Sim.Core.Tokens;

namespace Sim.Core.Metrics
{
    /// <summary>
    /// Turns a finished run's request log into the summary figures. Makespan runs from the first arrival to
    /// the last finish; a request meets the SLO when its TTFT and its mean inter-token gap are within bounds.
    /// </summary>
    public static class SummaryBuilder
    {
        public static RunSummary Build(Simulation simulation, string backend, double wallS)
        {
            RequestLog log = simulation.Log;
            ReadOnlySpan<RequestRecord> records = log.Records;
            var ttft = new double[log.Completed];
            var e2e = new double[log.Completed];
            var queue = new double[log.Completed];
            int n = 0, withinSlo = 0;
            long outputTokens = 0, promptTokens = 0, preemptions = 0, hitTokens = 0, hostHitTokens = 0, ssdHitTokens = 0;
            double firstArrivalS = records.Length > 0 ? records[0].ArrivalS : 0, lastFinishS = firstArrivalS;
            foreach (RequestRecord record in records)
            {
                if (record.Outcome != RequestOutcome.Completed) continue;
                ttft[n] = record.TtftS;
                e2e[n] = record.E2eS;
                queue[n] = record.QueueS;
                n++;
                outputTokens += record.OutputTokens;
                promptTokens += record.PromptTokens;
                preemptions += record.Preemptions;
                hitTokens += record.PrefixHitTokens;
                hostHitTokens += record.HostHitTokens;
                ssdHitTokens += record.SsdHitTokens;
                lastFinishS = Math.Max(lastFinishS, record.FinishS);
                if (record.TtftS <= simulation.Scene.SloTtftS && record.MeanTbtS <= simulation.Scene.SloTbtS) withinSlo++;
            }
            double makespanS = lastFinishS - firstArrivalS;
            double PerS(double count) => makespanS > 0 ? count / makespanS : 0;
            return new RunSummary
            {
                Scene = simulation.Scene.Name,
                Seed = simulation.Scene.Seed,
                Backend = backend,
                RequestsTotal = log.Count,
                RequestsCompleted = log.Completed,
                RequestsRejected = log.Rejected,
                TtftS = Quantiles.Summarize(ttft, n),
                TbtS = Quantiles.Summarize(log.TokenGapsS),
                E2eS = Quantiles.Summarize(e2e, n),
                QueueS = Quantiles.Summarize(queue, n),
                RequestsPerS = PerS(n),
                OutputTokensPerS = PerS(outputTokens),
                TotalTokensPerS = PerS(outputTokens + promptTokens),
                GoodputRequestsPerS = PerS(withinSlo),
                FractionWithinSlo = log.Count > 0 ? (double)withinSlo / log.Count : 0,
                KvCapacityTokens = simulation.KvCapacityTokens,
                KvPeakUtilization = simulation.KvUsage.PeakUtilization,
                KvMeanUtilization = simulation.KvUsage.MeanUtilization(makespanS),
                Preemptions = preemptions,
                PromptTokens = promptTokens,
                PrefixHitTokens = hitTokens,
                HostHitTokens = hostHitTokens,
                SsdHitTokens = ssdHitTokens,
                KvCompression = CompressionOf(simulation),
                Moe = MoeOf(simulation),
                Iterations = simulation.TotalIterations,
                MakespanS = makespanS,
                WallS = wallS,
            };
        }

        static MoeSummary? MoeOf(Simulation simulation)
        {
            if (simulation.Scene.Moe == null) return null;
            var moe = new MoeSummary();
            int replicas = 0;
            foreach (ReplicaRuntime replica in simulation.Cluster.Replicas)
            {
                MoeStats stats = replica.Moe!.Stats;
                moe.TokensRouted += stats.TokensRouted;
                moe.CacheHits += stats.Hits;
                moe.CacheMisses += stats.Misses;
                moe.PrefetchesIssued += stats.PrefetchesIssued;
                moe.PrefetchesUseful += stats.PrefetchesUseful;
                moe.StallS += stats.StallS;
                moe.AllToAllS += stats.AllToAllS;
                moe.LoadImbalance += stats.LoadImbalance;
                replicas++;
            }
            moe.LoadImbalance /= replicas;
            moe.CacheHitRate = moe.CacheHits + moe.CacheMisses > 0 ? (double)moe.CacheHits / (moe.CacheHits + moe.CacheMisses) : 1;
            return moe;
        }

        static KvCompressionSummary? CompressionOf(Simulation simulation)
        {
            if (!simulation.World.TryGetResource(out TokenStore? tokens)) return null;
            KvCompressionStats stats = tokens!.Stats;
            return new KvCompressionSummary
            {
                Policy = KvCompression.NameOf(simulation.Scene.Compression.Policy),
                TokensEvicted = stats.TokensEvicted,
                MemorySavedFraction = stats.MemorySavedFraction,
                TokenMemorySavedFraction = stats.TokenMemorySavedFraction,
                MeanBatchSequences = stats.MeanBatchSequences,
                AttentionMassRetainedMean = stats.RetainedMass.Count > 0 ? stats.RetainedMass.Mean : 1,
                AttentionMassRetainedP1 = stats.RetainedMass.Count > 0 ? stats.RetainedMass.Quantile(0.01) : 1,
                OutputErrorMean = stats.OutputError.Mean,
                OutputErrorP99 = stats.OutputError.Count > 0 ? stats.OutputError.Quantile(0.99) : 0,
            };
        }
    }
}
