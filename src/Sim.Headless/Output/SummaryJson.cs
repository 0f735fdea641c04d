using System.IO;
using System.Text.Json;
using Sim.Core.Metrics;

namespace Sim.Headless.Output
{
    /// <summary>summary.json in the field names and nesting of docs/CLI.md.</summary>
    public static class SummaryJson
    {
        public static void Write(Stream stream, RunSummary s)
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            json.WriteString("scene", s.Scene);
            json.WriteNumber("seed", s.Seed);
            json.WriteString("backend", s.Backend);
            json.WriteStartObject("settings");
            json.WriteString("model", s.ModelId);
            json.WriteString("hardware", s.HardwareId);
            json.WriteString("scheduler", s.SchedulerPolicy);
            json.WriteString("router", s.Router);
            json.WriteString("perf_model", s.PerfModel);
            json.WriteStartArray("overrides");
            foreach (string o in s.Overrides) json.WriteStringValue(o);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartObject("requests");
            json.WriteNumber("total", s.RequestsTotal);
            json.WriteNumber("completed", s.RequestsCompleted);
            json.WriteNumber("rejected", s.RequestsRejected);
            json.WriteEndObject();
            WriteDistribution(json, "ttft_s", s.TtftS);
            WriteDistribution(json, "tbt_s", s.TbtS);
            WriteDistribution(json, "e2e_s", s.E2eS);
            WriteDistribution(json, "queue_s", s.QueueS);
            json.WriteStartObject("throughput");
            json.WriteNumber("requests_per_s", s.RequestsPerS);
            json.WriteNumber("output_tokens_per_s", s.OutputTokensPerS);
            json.WriteNumber("total_tokens_per_s", s.TotalTokensPerS);
            json.WriteEndObject();
            json.WriteStartObject("goodput");
            json.WriteNumber("requests_per_s", s.GoodputRequestsPerS);
            json.WriteNumber("fraction_within_slo", s.FractionWithinSlo);
            json.WriteEndObject();
            json.WriteStartObject("kv");
            json.WriteNumber("capacity_tokens", s.KvCapacityTokens);
            json.WriteNumber("peak_utilization", s.KvPeakUtilization);
            json.WriteNumber("mean_utilization", s.KvMeanUtilization);
            json.WriteEndObject();
            json.WriteNumber("preemptions", s.Preemptions);
            json.WriteNumber("preempted_requests", s.PreemptedRequests);
            json.WriteStartObject("prefix_cache");
            json.WriteNumber("prompt_tokens", s.PromptTokens);
            json.WriteNumber("hit_tokens", s.PrefixHitTokens);
            json.WriteNumber("hit_token_ratio", s.PromptTokens > 0 ? (double)s.PrefixHitTokens / s.PromptTokens : 0);
            json.WriteStartObject("hit_tokens_by_tier");
            json.WriteNumber("hbm", s.PrefixHitTokens - s.HostHitTokens - s.SsdHitTokens);
            json.WriteNumber("host", s.HostHitTokens);
            json.WriteNumber("ssd", s.SsdHitTokens);
            json.WriteEndObject();
            json.WriteEndObject();
            if (s.Moe != null)
            {
                MoeSummary m = s.Moe;
                json.WriteStartObject("moe");
                json.WriteNumber("tokens_routed", m.TokensRouted);
                json.WriteNumber("load_imbalance", m.LoadImbalance);
                json.WriteNumber("cache_hits", m.CacheHits);
                json.WriteNumber("cache_misses", m.CacheMisses);
                json.WriteNumber("cache_hit_rate", m.CacheHitRate);
                json.WriteNumber("prefetches_issued", m.PrefetchesIssued);
                json.WriteNumber("prefetches_useful", m.PrefetchesUseful);
                json.WriteNumber("stall_s", m.StallS);
                json.WriteNumber("prefetch_wait_s", m.PrefetchWaitS);
                json.WriteNumber("demand_load_s", m.DemandLoadS);
                json.WriteNumber("refine_wait_s", m.RefineWaitS);
                json.WriteNumber("bytes_loaded", m.BytesLoaded);
                json.WriteNumber("bits_per_token", m.BitsPerToken);
                json.WriteNumber("quality_proxy", m.QualityProxy);
                json.WriteNumber("prediction_recall", m.PredictionRecall);
                json.WriteNumber("all_to_all_s", m.AllToAllS);
                json.WriteEndObject();
            }
            if (s.Speculative != null)
            {
                SpeculativeSummary p = s.Speculative;
                json.WriteStartObject("speculative");
                json.WriteString("draft", p.Draft);
                json.WriteNumber("verify_steps", p.VerifySteps);
                json.WriteNumber("mean_tokens_per_verify_step", p.MeanTokensPerVerifyStep);
                json.WriteNumber("acceptance_rate", p.AcceptanceRate);
                json.WriteNumber("draft_time_share", p.DraftTimeShare);
                json.WriteNumber("verify_time_share", p.VerifyTimeShare);
                if (p.SpeedUp.HasValue) json.WriteNumber("speedup", p.SpeedUp.Value);
                else json.WriteNull("speedup");
                json.WriteEndObject();
            }
            if (s.KvPrediction != null)
            {
                json.WriteStartObject("kv_prediction");
                json.WriteString("auxiliary", s.KvPrediction.Auxiliary);
                json.WriteNumber("accuracy_retention", s.KvPrediction.AccuracyRetention);
                if (s.KvPrediction.TtftGain.HasValue) json.WriteNumber("ttft_gain", s.KvPrediction.TtftGain.Value);
                else json.WriteNull("ttft_gain");
                json.WriteEndObject();
            }
            if (s.KvCompression != null)
            {
                KvCompressionSummary c = s.KvCompression;
                json.WriteStartObject("kv_compression");
                json.WriteString("policy", c.Policy);
                json.WriteNumber("tokens_evicted", c.TokensEvicted);
                json.WriteNumber("memory_saved_fraction", c.MemorySavedFraction);
                json.WriteNumber("token_memory_saved_fraction", c.TokenMemorySavedFraction);
                json.WriteNumber("mean_batch_sequences", c.MeanBatchSequences);
                json.WriteStartObject("attention_mass_retained");
                json.WriteNumber("mean", c.AttentionMassRetainedMean);
                json.WriteNumber("p1", c.AttentionMassRetainedP1);
                json.WriteEndObject();
                json.WriteStartObject("output_error");
                json.WriteNumber("mean", c.OutputErrorMean);
                json.WriteNumber("p99", c.OutputErrorP99);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteNumber("iterations", s.Iterations);
            json.WriteNumber("makespan_s", s.MakespanS);
            json.WriteNumber("wall_s", s.WallS);
            json.WriteEndObject();
        }

        static void WriteDistribution(Utf8JsonWriter json, string name, Distribution d)
        {
            json.WriteStartObject(name);
            json.WriteNumber("mean", d.Mean);
            json.WriteNumber("p50", d.P50);
            json.WriteNumber("p90", d.P90);
            json.WriteNumber("p99", d.P99);
            json.WriteNumber("max", d.Max);
            json.WriteEndObject();
        }
    }
}
