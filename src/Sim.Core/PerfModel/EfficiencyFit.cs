using System;
using System.Collections.Generic;
using System.Linq;

namespace Sim.Core.PerfModel
{
    /// <summary>
    /// Calibration: fits one GPU's roofline efficiency factors to measured operator tables. Each operator class has
    /// its own few factors (GEMMs: compute and memory efficiency; norms, pointwise kernels and the add: a memory
    /// efficiency each; prefill attention: compute efficiency, kernel floor and KV tile; decode attention: memory
    /// efficiency, kernel floor, per-sequence cost and KV tile; all-reduce: link bandwidth share), found by minimising
    /// the summed absolute log ratio of predicted to measured time over the class's rows (a median-like fit, which a
    /// few rows the roofline cannot describe do not drag), one factor at a time by golden-section search until none
    /// moves; a tile size is fitted by trying each of <see cref="EfficiencyFile.TileChoices"/>. The GEMM tile and the
    /// small-kernel floors stay as they are. A class's factors are shared by its operators, so a fit that lowers the
    /// class's loss can still raise one operator's median error (the pointwise factor pulled towards attn_rope, away
    /// from mlp_act): a class keeps its starting factors unless the fit lowers the median error of one of its operators
    /// and raises none. A handful of numbers for thousands of rows: the fit cannot memorise the tables, which a
    /// held-out test checks.
    /// </summary>
    public static class EfficiencyFit
    {
        /// <summary>
        /// Operator classes: the operators sharing factors, the factors (keys of <see cref="EfficiencyFile.Factors"/>) and the tile
        /// (a key of <see cref="EfficiencyFile.Tiles"/>, or null) fitted for them. Prefill attention has no per-sequence cost
        /// here: every row of the tables is one chunk, so it would be the floor again.
        /// </summary>
        static readonly (string[] Operators, string[] Factors, string? Tile)[] Classes =
        {
            (new[] { "attn_pre_proj", "attn_post_proj", "mlp_up_proj", "mlp_down_proj" }, new[] { "gemm_compute", "gemm_memory" }, null),
            (new[] { "input_layernorm", "post_attention_layernorm" }, new[] { "norm_memory" }, null),
            (new[] { "attn_rope", "mlp_act" }, new[] { "pointwise_memory" }, null),
            (new[] { "add" }, new[] { "add_memory" }, null),
            (new[] { "attn_prefill" }, new[] { "attention_compute", "attention_prefill_floor_us" }, "attention_prefill_kv_tile"),
            (new[] { "attn_decode" }, new[] { "attention_memory", "attention_decode_floor_us", "attention_decode_per_sequence_us" }, "attention_decode_kv_tile"),
            (new[] { "all_reduce" }, new[] { "collective_bandwidth" }, null),
        };

        /// <summary>
        /// Fits <paramref name="gpu"/>'s factors (starting from its current ones) to the tables in <paramref name="profileDir"/> for
        /// <paramref name="model"/>; with <paramref name="holdOutFromTokens"/>, only on rows spanning fewer tokens, the others
        /// held out and their errors reported apart.
        /// </summary>
        public static Calibration Calibrate(string profileDir, ModelSpec model, HardwareSpec gpu, double? holdOutFromTokens = null)
        {
            IReadOnlyList<ProfileSample> all = ProfileSample.All(ProfileDirectory.Load(profileDir, model), model);
            ProfileSample[] fitted = all.Where(s => !(s.Tokens >= holdOutFromTokens)).ToArray();
            ProfileSample[] heldOut = all.Where(s => s.Tokens >= holdOutFromTokens).ToArray();
            var kept = new List<string>();
            RooflineEfficiency efficiency = Fit(fitted, model, gpu, gpu.Efficiency, kept);
            return new Calibration(efficiency, Errors(fitted, model, gpu, gpu.Efficiency), Errors(fitted, model, gpu, efficiency), kept,
                holdOutFromTokens.HasValue ? Errors(heldOut, model, gpu, efficiency) : null);
        }

        /// <summary>
        /// The factors that best fit <paramref name="samples"/>, starting from <paramref name="start"/>; classes without
        /// samples, and classes whose fit would improve no operator's median error or worsen one, keep their start.
        /// </summary>
        /// <param name="keptOperators">Gets the operators with samples whose class kept its start.</param>
        internal static RooflineEfficiency Fit(IReadOnlyList<ProfileSample> samples, ModelSpec model, HardwareSpec gpu, RooflineEfficiency start, List<string>? keptOperators = null)
        {
            RooflineEfficiency efficiency = Copy(start);
            foreach (var (operators, factorKeys, tileKey) in Classes)
            {
                ProfileSample[] mine = samples.Where(s => operators.Contains(s.Op)).ToArray();
                if (mine.Length == 0) continue;
                var factors = factorKeys.Select(key => EfficiencyFile.Factors.Single(f => f.Key == key)).ToArray();
                double Loss() => mine.Sum(s => Math.Abs(Math.Log(s.PredictedS(model, gpu, efficiency) / s.MeasuredS)));
                if (tileKey == null)
                    FitFactors(factors, efficiency, Loss);
                else
                    FitWithTile(factors, EfficiencyFile.Tiles.Single(t => t.Key == tileKey), efficiency, Loss);
                if (!ImprovesWithoutHarm(Errors(mine, model, gpu, start), Errors(mine, model, gpu, efficiency)))
                {
                    foreach (var factor in factors) factor.Set(efficiency, factor.Get(start));
                    if (tileKey != null)
                    {
                        var tile = EfficiencyFile.Tiles.Single(t => t.Key == tileKey);
                        tile.Set(efficiency, tile.Get(start));
                    }
                    keptOperators?.AddRange(operators.Where(op => mine.Any(s => s.Op == op)));
                }
            }
            return efficiency;
        }

        /// <summary>Fits the factors for each tile choice and keeps the tile and factors of the lowest loss.</summary>
        static void FitWithTile((string Key, Func<RooflineEfficiency, double> Get, Action<RooflineEfficiency, double> Set, double Lo, double Hi, bool MayBeZero)[] factors,
            (string Key, Func<RooflineEfficiency, int> Get, Action<RooflineEfficiency, int> Set) tile, RooflineEfficiency efficiency, Func<double> loss)
        {
            double[] startValues = factors.Select(f => f.Get(efficiency)).ToArray();
            int bestTile = tile.Get(efficiency);
            double[] bestValues = startValues;
            double bestLoss = double.PositiveInfinity;
            foreach (int choice in EfficiencyFile.TileChoices)
            {
                tile.Set(efficiency, choice);
                for (int i = 0; i < factors.Length; i++) factors[i].Set(efficiency, startValues[i]);
                FitFactors(factors, efficiency, loss);
                double fittedLoss = loss();
                if (fittedLoss < bestLoss * (1 - 1e-9))
                {
                    bestLoss = fittedLoss;
                    bestTile = choice;
                    bestValues = factors.Select(f => f.Get(efficiency)).ToArray();
                }
            }
            tile.Set(efficiency, bestTile);
            for (int i = 0; i < factors.Length; i++) factors[i].Set(efficiency, bestValues[i]);
        }

        /// <summary>Coordinate descent: each factor in turn by golden-section search over its range, until none moves.</summary>
        static void FitFactors((string Key, Func<RooflineEfficiency, double> Get, Action<RooflineEfficiency, double> Set, double Lo, double Hi, bool MayBeZero)[] factors,
            RooflineEfficiency efficiency, Func<double> loss)
        {
            for (int round = 0; round < 100; round++)
            {
                double largestMove = 0;
                foreach (var factor in factors)
                {
                    double before = factor.Get(efficiency), lossBefore = loss();
                    double best = GoldenSection(x =>
                    {
                        factor.Set(efficiency, x);
                        return loss();
                    }, factor.Lo, factor.Hi);
                    factor.Set(efficiency, best);
                    // Where the rows do not constrain a factor (a flat loss), keep the one we had.
                    if (!(loss() < lossBefore * (1 - 1e-12))) factor.Set(efficiency, before);
                    double after = factor.Get(efficiency);
                    largestMove = Math.Max(largestMove, before > 0 && after > 0 ? Math.Abs(Math.Log(after / before)) : after != before ? 1 : 0);
                }
                if (largestMove < 1e-9) break;
            }
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
            foreach (var tile in EfficiencyFile.Tiles) tile.Set(copy, tile.Get(from));
            return copy;
        }

    }
}
