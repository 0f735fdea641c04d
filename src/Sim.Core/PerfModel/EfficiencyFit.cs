using System;
using System.Collections.Generic;
using System.Linq;

namespace Sim.Core.PerfModel
{
    /// <summary>
    /// Calibration: fits one GPU's roofline efficiency factors to measured operator tables. Each operator class has
    /// its own one or two factors (GEMMs: compute and memory efficiency; norms, pointwise kernels and the add: a
    /// memory efficiency each; attention: compute and memory; all-reduce: link bandwidth share), found by minimising
    /// the summed absolute log ratio of predicted to measured time over the class's rows (a median-like fit, which a
    /// few rows the roofline cannot describe do not drag), one factor at a time by golden-section search until none
    /// moves. A class's factors are shared by its operators, so a fit that lowers the class's loss can still raise one
    /// operator's median error (the pointwise factor pulled towards attn_rope, away from mlp_act): a class keeps its
    /// starting factors unless the fit lowers the median error of one of its operators and raises none. The tile size
    /// and kernel floors stay as they are. A handful of
    /// numbers for a thousand rows: the fit cannot memorise the tables, which a held-out test checks.
    /// </summary>
    public static class EfficiencyFit
    {
        /// <summary>Operator classes: the operators sharing factors, and the factors (keys of <see cref="EfficiencyFile.Factors"/>) fitted for them.</summary>
        static readonly (string[] Operators, string[] Factors)[] Classes =
        {
            (new[] { "attn_pre_proj", "attn_post_proj", "mlp_up_proj", "mlp_down_proj" }, new[] { "gemm_compute", "gemm_memory" }),
            (new[] { "input_layernorm", "post_attention_layernorm" }, new[] { "norm_memory" }),
            (new[] { "attn_rope", "mlp_act" }, new[] { "pointwise_memory" }),
            (new[] { "add" }, new[] { "add_memory" }),
            (new[] { "attn_prefill", "attn_decode" }, new[] { "attention_compute", "attention_memory" }),
            (new[] { "all_reduce" }, new[] { "collective_bandwidth" }),
        };

        const double LowestFactor = 0.02, HighestFactor = 2.0;

        /// <summary>Fits <paramref name="gpu"/>'s factors (starting from its current ones) to the tables in <paramref name="profileDir"/> for <paramref name="model"/>.</summary>
        public static Calibration Calibrate(string profileDir, ModelSpec model, HardwareSpec gpu)
        {
            IReadOnlyList<ProfileSample> samples = ProfileSample.All(ProfileDirectory.Load(profileDir, model), model);
            var kept = new List<string>();
            RooflineEfficiency fitted = Fit(samples, model, gpu, gpu.Efficiency, kept);
            return new Calibration(fitted, Errors(samples, model, gpu, gpu.Efficiency), Errors(samples, model, gpu, fitted), kept);
        }

        /// <summary>
        /// The factors that best fit <paramref name="samples"/>, starting from <paramref name="start"/>; classes without
        /// samples, and classes whose fit would improve no operator's median error or worsen one, keep their start.
        /// </summary>
        /// <param name="keptOperators">Gets the operators with samples whose class kept its start.</param>
        internal static RooflineEfficiency Fit(IReadOnlyList<ProfileSample> samples, ModelSpec model, HardwareSpec gpu, RooflineEfficiency start, List<string>? keptOperators = null)
        {
            RooflineEfficiency efficiency = Copy(start);
            foreach (var (operators, factorKeys) in Classes)
            {
                ProfileSample[] mine = samples.Where(s => operators.Contains(s.Op)).ToArray();
                if (mine.Length == 0) continue;
                var factors = factorKeys.Select(key => EfficiencyFile.Factors.Single(f => f.Key == key)).ToArray();
                double Loss() => mine.Sum(s => Math.Abs(Math.Log(s.PredictedS(model, gpu, efficiency) / s.MeasuredS)));
                for (int round = 0; round < 100; round++)
                {
                    double largestMove = 0;
                    foreach (var factor in factors)
                    {
                        double before = factor.Get(efficiency), lossBefore = Loss();
                        double best = GoldenSection(x =>
                        {
                            factor.Set(efficiency, x);
                            return Loss();
                        }, LowestFactor, HighestFactor);
                        factor.Set(efficiency, best);
                        // Where the rows do not constrain a factor (a flat loss), keep the one we had.
                        if (!(Loss() < lossBefore * (1 - 1e-12))) factor.Set(efficiency, before);
                        largestMove = Math.Max(largestMove, Math.Abs(Math.Log(factor.Get(efficiency) / before)));
                    }
                    if (largestMove < 1e-9) break;
                }
                if (!ImprovesWithoutHarm(Errors(mine, model, gpu, start), Errors(mine, model, gpu, efficiency)))
                {
                    foreach (var factor in factors) factor.Set(efficiency, factor.Get(start));
                    keptOperators?.AddRange(operators.Where(op => mine.Any(s => s.Op == op)));
                }
            }
            return efficiency;
        }

        /// <summary>Whether some operator's median relative error falls and none rises.</summary>
        static bool ImprovesWithoutHarm(IReadOnlyList<OperatorError> before, IReadOnlyList<OperatorError> after)
        {
            bool improves = false;
            foreach (OperatorError b in before)
            {
                double a = after.Single(e => e.Op == b.Op).MedianRelativeError;
                if (a > b.MedianRelativeError) return false;
                if (a < b.MedianRelativeError) improves = true;
            }
            return improves;
        }

        /// <summary>Median and p90 relative error per operator of <paramref name="efficiency"/>'s predictions for <paramref name="samples"/>, in table order.</summary>
        internal static IReadOnlyList<OperatorError> Errors(IReadOnlyList<ProfileSample> samples, ModelSpec model, HardwareSpec gpu, RooflineEfficiency efficiency) =>
            samples.GroupBy(s => s.Op)
                .Select(g => ProfileComparison.Summarize(g.Key, g.Select(s => Math.Abs(s.PredictedS(model, gpu, efficiency) - s.MeasuredS) / s.MeasuredS).ToArray(), g.Count()))
                .ToArray();

        /// <summary>The minimum of <paramref name="loss"/> over [lo, hi], searched in log space (factors are ratios).</summary>
        static double GoldenSection(Func<double, double> loss, double lo, double hi)
        {
            double a = Math.Log(lo), b = Math.Log(hi), ratio = (Math.Sqrt(5) - 1) / 2;
            double c = b - ratio * (b - a), d = a + ratio * (b - a);
            double fc = loss(Math.Exp(c)), fd = loss(Math.Exp(d));
            for (int i = 0; i < 80; i++)
            {
                if (fc <= fd)
                {
                    b = d;
                    d = c;
                    fd = fc;
                    c = b - ratio * (b - a);
                    fc = loss(Math.Exp(c));
                }
                else
                {
                    a = c;
                    c = d;
                    fc = fd;
                    d = a + ratio * (b - a);
                    fd = loss(Math.Exp(d));
                }
            }
            return Math.Exp((a + b) / 2);
        }

        static RooflineEfficiency Copy(RooflineEfficiency from)
        {
            var copy = new RooflineEfficiency
            {
                GemmTileTokens = from.GemmTileTokens,
                GemmFloorS = from.GemmFloorS,
                SmallKernelFloorS = from.SmallKernelFloorS,
            };
            foreach (var factor in EfficiencyFile.Factors) factor.Set(copy, factor.Get(from));
            return copy;
        }

    }
}
