using System;
using System.Collections.Generic;
using Sim.Core.Metrics;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;

namespace Sim.Headless.Studies
{
    /// <summary>One sweep point's run: its summary, and the curves the sweep plots (TTFT and TBT distributions, KV utilisation over time).</summary>
    public sealed class PointResult
    {
        const int TimelineBuckets = 100;

        public RunSummary Summary { get; internal set; } = null!;

        /// <summary>Completed requests' TTFTs, ascending.</summary>
        public double[] TtftS { get; internal set; } = Array.Empty<double>();

        /// <summary>The TBT distribution's percentiles 0 to 100.</summary>
        public double[] TbtPercentilesS { get; internal set; } = Array.Empty<double>();

        /// <summary>Bucket midpoints (seconds since the first arrival) and the cluster's KV utilisation in each.</summary>
        public double[] TimelineS { get; internal set; } = Array.Empty<double>();

        public double[] KvUtilization { get; internal set; } = Array.Empty<double>();

        /// <param name="traces">Trace files shared by the sweep's points.</param>
        public static PointResult Run(Scene scene, TraceCache? traces = null)
        {
            SceneWorkload workload = SceneWorkload.Open(scene, traces);
            var iterations = new IterationSpans();
            using var simulation = new Simulation(scene, workload.Requests, workload.Count, workload.SourceName, iterations);
            simulation.Run();
            var result = new PointResult { Summary = SummaryBuilder.Build(simulation, "cpu", 0) };
            var ttft = new List<double>();
            foreach (RequestRecord record in simulation.Log.Records)
                if (record.Outcome == RequestOutcome.Completed) ttft.Add(record.TtftS);
            ttft.Sort();
            result.TtftS = ttft.ToArray();
            result.TbtPercentilesS = new double[101];
            LogHistogram gapsS = simulation.Log.TokenGapsS();
            for (int p = 0; p <= 100; p++) result.TbtPercentilesS[p] = gapsS.Quantile(p / 100.0);
            double firstS = simulation.Log.Count > 0 ? simulation.Log.Records[0].ArrivalS : 0;
            (result.TimelineS, result.KvUtilization) = iterations.Timeline(firstS, firstS + result.Summary.MakespanS, TimelineBuckets, simulation.KvCapacityTokens / scene.BlockTokens);
            return result;
        }

        /// <summary>Collects each iteration's span and pages in use.</summary>
        sealed class IterationSpans : IIterationSink
        {
            readonly List<(double StartS, double DurationS, int UsedPages)> _spans = new List<(double, double, int)>();

            public void OnIteration(in IterationRecord iteration) => _spans.Add((iteration.StartS, iteration.DurationS, iteration.KvUsedPages));

            /// <summary>Page-seconds in use per bucket (each iteration split over the buckets it spans) over all pages times the bucket's width.</summary>
            public (double[] MidpointsS, double[] Utilization) Timeline(double fromS, double toS, int buckets, long totalPages)
            {
                var midpoints = new double[buckets];
                var utilization = new double[buckets];
                double widthS = Math.Max(toS - fromS, 1e-9) / buckets;
                foreach ((double startS, double durationS, int used) in _spans)
                {
                    double beginS = startS - fromS, endS = beginS + durationS;
                    for (int bucket = Math.Max(0, (int)(beginS / widthS)); bucket < buckets && bucket * widthS < endS; bucket++)
                    {
                        double overlapS = Math.Min(endS, (bucket + 1) * widthS) - Math.Max(beginS, bucket * widthS);
                        if (overlapS > 0) utilization[bucket] += used * overlapS;
                    }
                }
                for (int b = 0; b < buckets; b++)
                {
                    midpoints[b] = (b + 0.5) * widthS;
                    utilization[b] /= totalPages * widthS;
                }
                return (midpoints, utilization);
            }
        }
    }
}
