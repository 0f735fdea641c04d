using System;
using Sim.Core.Experts;
using Sim.Core.Pipeline;
using Sim.Core.Speculative;
using Sim.Core.Tokens;
using Sim.Core.Tokens.Policies;

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
            long outputTokens = 0, promptTokens = 0, preemptions = 0, preemptedRequests = 0, hitTokens = 0, hostHitTokens = 0, ssdHitTokens = 0;
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
                if (record.Preemptions > 0) preemptedRequests++;
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
                ModelId = simulation.Scene.ModelId,
                HardwareId = simulation.Scene.HardwareId,
                SchedulerPolicy = simulation.Scene.SchedulerPolicy,
                Router = simulation.Scene.Router,
                PerfModel = simulation.Scene.PerfModel,
                Overrides = simulation.Scene.Overrides.ToArray(),
                RequestsTotal = log.Count,
                RequestsCompleted = log.Completed,
                RequestsRejected = log.Rejected,
                TtftS = Quantiles.Summarize(ttft, n),
                TbtS = Quantiles.Summarize(log.TokenGapsS()),
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
                PreemptedRequests = preemptedRequests,
                PromptTokens = promptTokens,
                PrefixHitTokens = hitTokens,
                HostHitTokens = hostHitTokens,
                SsdHitTokens = ssdHitTokens,
                KvCompression = CompressionOf(simulation),
                Moe = MoeOf(simulation),
                Speculative = SpeculativeOf(simulation),
                KvPrediction = simulation.Scene.KvPrediction == null ? null : new KvPredictionSummary
                {
                    Auxiliary = simulation.Scene.KvPrediction.AuxiliaryId,
                    AccuracyRetention = simulation.Scene.KvPrediction.AccuracyRetention,
                },
                Iterations = simulation.TotalIterations,
                MakespanS = makespanS,
                WallS = wallS,
            };
        }

        static SpeculativeSummary? SpeculativeOf(Simulation simulation)
        {
            if (simulation.Scene.Speculative == null) return null;
            long steps = 0, drafted = 0, accepted = 0;
            double draftS = 0, verifyS = 0, busyS = 0;
            foreach (ReplicaRuntime replica in simulation.Cluster.Replicas)
            {
                SpeculativeStats stats = replica.Speculative!.Stats;
                steps += stats.VerifySteps;
                drafted += stats.DraftedTokens;
                accepted += stats.AcceptedTokens;
                draftS += stats.DraftS;
                verifyS += stats.VerifyS;
                busyS += stats.BusyS;
            }
            return new SpeculativeSummary
            {
                Draft = simulation.Scene.Speculative.Draft,
                VerifySteps = steps,
                MeanTokensPerVerifyStep = steps > 0 ? (double)(steps + accepted) / steps : 0,
                AcceptanceRate = drafted > 0 ? (double)accepted / drafted : 0,
                DraftTimeShare = busyS > 0 ? draftS / busyS : 0,
                VerifyTimeShare = busyS > 0 ? verifyS / busyS : 0,
            };
        }

        static MoeSummary? MoeOf(Simulation simulation)
        {
            if (simulation.Scene.Moe == null) return null;
            var moe = new MoeSummary();
            int replicas = 0;
            long predictable = 0, predicted = 0;
            double served = 0;
            foreach (ReplicaRuntime replica in simulation.Cluster.Replicas)
            {
                MoeStats stats = replica.Moe!.Stats;
                moe.TokensRouted += stats.TokensRouted;
                moe.CacheHits += stats.Hits;
                moe.CacheMisses += stats.Misses;
                moe.PrefetchesIssued += stats.PrefetchesIssued;
                moe.PrefetchesUseful += stats.PrefetchesUseful;
                moe.StallS += stats.StallS;
                moe.PrefetchWaitS += stats.PrefetchWaitS;
                moe.DemandLoadS += stats.DemandLoadS;
                moe.RefineWaitS += stats.RefineWaitS;
                moe.BytesLoaded += stats.BytesLoaded;
                moe.BitsPerToken += stats.BitsPerToken * stats.ServedTokens;
                moe.QualityProxy += stats.QualityProxy * stats.ServedTokens;
                served += stats.ServedTokens;
                predictable += stats.PredictableUses;
                predicted += stats.PredictedUses;
                moe.AllToAllS += stats.AllToAllS;
                moe.LoadImbalance += stats.LoadImbalance;
                replicas++;
            }
            moe.LoadImbalance /= replicas;
            moe.BitsPerToken = served > 0 ? moe.BitsPerToken / served : 0;
            moe.QualityProxy = served > 0 ? moe.QualityProxy / served : 1;
            moe.PredictionRecall = predictable > 0 ? (double)predicted / predictable : 1;
            moe.CacheHitRate = moe.CacheHits + moe.CacheMisses > 0 ? (double)moe.CacheHits / (moe.CacheHits + moe.CacheMisses) : 1;
            return moe;
        }

        static KvCompressionSummary? CompressionOf(Simulation simulation)
        {
            if (!simulation.World.TryGetResource(out TokenStore? tokens)) return null;
            KvCompressionStats stats = tokens!.Stats;
            return new KvCompressionSummary
            {
                Policy = simulation.Scene.Compression.Policy.NameOf(),
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
