using System;

namespace Sim.Core.Metrics
{
    /// <summary>Nearest-rank quantiles: the q-quantile of n sorted values is the value of rank ceil(q·n) (1-based).</summary>
    public static class Quantiles
    {
        public static long NearestRank(double q, long count) => Math.Max(1, Math.Min(count, (long)Math.Ceiling(q * count - 1e-9)));

        /// <summary>Summary statistics of <paramref name="values"/>, which this sorts in place.</summary>
        public static Distribution Summarize(double[] values, int count)
        {
            if (count == 0) return new Distribution();
            Array.Sort(values, 0, count);
            double sum = 0;
            for (int i = 0; i < count; i++) sum += values[i];
            return new Distribution
            {
                Mean = sum / count,
                P50 = values[NearestRank(0.50, count) - 1],
                P90 = values[NearestRank(0.90, count) - 1],
                P99 = values[NearestRank(0.99, count) - 1],
                Max = values[count - 1],
            };
        }

        public static Distribution Summarize(LogHistogram histogram) => histogram.Count == 0 ? new Distribution() : new Distribution
        {
            Mean = histogram.Mean,
            P50 = histogram.Quantile(0.50),
            P90 = histogram.Quantile(0.90),
            P99 = histogram.Quantile(0.99),
            Max = histogram.Max,
        };
    }

    /// <summary>Mean and nearest-rank quantiles of one metric, in its unit (seconds for times).</summary>
    public struct Distribution
    {
        public double Mean;
        public double P50;
        public double P90;
        public double P99;
        public double Max;
    }
}
