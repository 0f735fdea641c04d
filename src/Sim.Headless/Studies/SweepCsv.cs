using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Sim.Core.Metrics;
using Sim.Headless.Output;

namespace Sim.Headless.Studies
{
    /// <summary>sweep.csv: one row per point in grid order, the grid keys' values then the summary figures (no wall time, so the file is the same on every run).</summary>
    public static class SweepCsv
    {
        static readonly (string Column, Func<RunSummary, double> Value)[] Figures =
        {
            ("requests_completed", s => s.RequestsCompleted),
            ("requests_rejected", s => s.RequestsRejected),
            ("ttft_p50_s", s => s.TtftS.P50),
            ("ttft_p90_s", s => s.TtftS.P90),
            ("ttft_p99_s", s => s.TtftS.P99),
            ("tbt_p50_s", s => s.TbtS.P50),
            ("tbt_p99_s", s => s.TbtS.P99),
            ("e2e_p50_s", s => s.E2eS.P50),
            ("e2e_p99_s", s => s.E2eS.P99),
            ("throughput_requests_per_s", s => s.RequestsPerS),
            ("output_tokens_per_s", s => s.OutputTokensPerS),
            ("goodput_requests_per_s", s => s.GoodputRequestsPerS),
            ("fraction_within_slo", s => s.FractionWithinSlo),
            ("kv_peak_utilization", s => s.KvPeakUtilization),
            ("kv_mean_utilization", s => s.KvMeanUtilization),
            ("preemptions", s => s.Preemptions),
            ("prefix_hit_token_ratio", s => s.PromptTokens > 0 ? (double)s.PrefixHitTokens / s.PromptTokens : 0),
            ("iterations", s => s.Iterations),
            ("makespan_s", s => s.MakespanS),
        };

        public static void Write(Stream stream, SweepFile sweep, IReadOnlyList<SweepPoint> points, IReadOnlyList<PointResult> results)
        {
            string header = string.Join(",", sweep.Grid.Select(key => key.Key).Concat(Figures.Select(f => f.Column)));
            using var csv = new CsvLineWriter(stream, header);
            for (int i = 0; i < points.Count; i++)
            {
                foreach (string value in points[i].Values) csv.Field(value);
                foreach (var figure in Figures) csv.Field(figure.Value(results[i].Summary));
                csv.EndLine();
            }
        }
    }
}
