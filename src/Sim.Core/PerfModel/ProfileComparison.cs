using System;
using System.Collections.Generic;
using Sim.Core.Metrics;

namespace Sim.Core.PerfModel
{
    /// <summary>
    /// Scores the roofline model against measured operator profiles: the relative error of each operator's
    /// predicted time, summarised as median and p90 over the profile's rows. Used to calibrate
    /// <see cref="RooflineEfficiency"/> and to check it stays calibrated.
    /// </summary>
    internal static class ProfileComparison
    {
        /// <summary>The matrix multiplications: the operators that dominate a layer and that calibration targets.</summary>
        public static readonly string[] GemmOperators = { "attn_pre_proj", "attn_post_proj", "mlp_up_proj", "mlp_down_proj" };

        /// <summary>
        /// Each operator of <paramref name="profile"/> (rows with num_tokens ≤ <paramref name="maxTokens"/>) against the
        /// model's time for one prefill of num_tokens new tokens at the row's TP degree on <paramref name="gpu"/>.
        /// </summary>
        public static IReadOnlyList<OperatorError> CompareMlp(MlpProfile profile, HardwareSpec gpu, RooflineEfficiency efficiency, int maxTokens)
        {
            int[] modelIndex = new int[MlpProfile.Operators.Length];
            for (int op = 0; op < modelIndex.Length; op++) modelIndex[op] = RooflinePerfModel.OperatorIndex(MlpProfile.Operators[op]);

            var errors = new double[MlpProfile.Operators.Length][];
            for (int op = 0; op < errors.Length; op++) errors[op] = new double[profile.Rows.Count];
            int count = 0;
            var batch = new SequenceWork[1];
            foreach (MlpProfile.Row row in profile.Rows)
            {
                if (row.Tokens > maxTokens) continue;
                var model = new RooflinePerfModel(row.Model, gpu, new Parallelism { Tp = row.Tp }, efficiency, 0);
                batch[0] = new SequenceWork(row.Tokens, 0);
                IReadOnlyList<OperatorTime> predicted = model.LayerBreakdown(batch);
                for (int op = 0; op < errors.Length; op++)
                    errors[op][count] = RelativeError(predicted[modelIndex[op]].TimeS, row.MedianMs[op] * 1e-3);
                count++;
            }

            var result = new OperatorError[errors.Length];
            for (int op = 0; op < errors.Length; op++) result[op] = Summarize(MlpProfile.Operators[op], errors[op], count);
            return result;
        }

        /// <summary>
        /// The model's ring all-reduce against each row of <paramref name="profile"/> over <paramref name="workers"/> GPUs
        /// (the other rows are left out: they may cross a different link).
        /// </summary>
        public static OperatorError CompareAllReduce(AllReduceProfile profile, HardwareSpec gpu, RooflineEfficiency efficiency, int workers)
        {
            var errors = new double[profile.Rows.Count];
            int count = 0;
            foreach (AllReduceProfile.Row row in profile.Rows)
            {
                if (row.Workers != workers) continue;
                errors[count++] = RelativeError(RooflinePerfModel.RingAllReduceS(row.Bytes, workers, gpu, efficiency), row.MedianMs * 1e-3);
            }
            return Summarize("all_reduce", errors, count);
        }

        static double RelativeError(double predictedS, double measuredS) => Math.Abs(predictedS - measuredS) / measuredS;

        internal static OperatorError Summarize(string op, double[] errors, int count)
        {
            if (count == 0) return new OperatorError(op, 0, double.NaN, double.NaN);
            Array.Sort(errors, 0, count);
            return new OperatorError(op, count, errors[Quantiles.NearestRank(0.50, count) - 1], errors[Quantiles.NearestRank(0.90, count) - 1]);
        }
    }
}
