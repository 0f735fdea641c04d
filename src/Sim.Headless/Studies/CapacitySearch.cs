using System;
using System.Collections.Generic;
using Sim.Core.Metrics;

namespace Sim.Headless.Studies
{
    /// <summary>
    /// The highest load meeting every SLO bound, by search over the time scale s (every inter-arrival gap times s):
    /// from s = 1, halve s while the SLO holds or double it while it does not, to bracket the edge; then bisect on
    /// log s until the two ends are within the tolerance. Assumes the figures only get worse with load.
    /// </summary>
    public static class CapacitySearch
    {
        const int MaxSteps = 30;

        public static CapacityResult Run(Func<double, RunSummary> runAtScale, IReadOnlyList<SloTarget> slo, double tolerance)
        {
            var result = new CapacityResult();
            RunSummary Evaluate(double scale)
            {
                result.Runs++;
                return runAtScale(scale);
            }
            double meetS = double.NaN, failS = double.NaN;
            RunSummary? meet = null, fail = null;
            RunSummary first = Evaluate(1);
            if (Meets(first, slo)) { meetS = 1; meet = first; }
            else { failS = 1; fail = first; }
            for (int step = 0; step < MaxSteps && (meet == null || fail == null); step++)
            {
                if (meet != null)
                {
                    double s = meetS / 2;
                    RunSummary summary = Evaluate(s);
                    if (Meets(summary, slo)) { meetS = s; meet = summary; }
                    else { failS = s; fail = summary; }
                }
                else
                {
                    double s = failS * 2;
                    RunSummary summary = Evaluate(s);
                    if (Meets(summary, slo)) { meetS = s; meet = summary; }
                    else { failS = s; fail = summary; }
                }
            }
            while (meet != null && fail != null && meetS / failS > 1 + tolerance)
            {
                double s = Math.Sqrt(meetS * failS);
                RunSummary summary = Evaluate(s);
                if (Meets(summary, slo)) { meetS = s; meet = summary; }
                else { failS = s; fail = summary; }
            }
            result.Met = meet != null;
            result.Scale = meet != null ? meetS : failS;
            result.AtScale = meet ?? fail!;
            result.FailingScale = fail != null ? failS : double.NaN;
            result.FailingAt = fail;
            if (fail != null) result.Limiting = Limiting(fail, slo);
            return result;
        }

        static bool Meets(RunSummary summary, IReadOnlyList<SloTarget> slo)
        {
            foreach (SloTarget target in slo)
                if (target.Ratio(summary) > 1) return false;
            return true;
        }

        /// <summary>The bound exceeded the most (largest value over bound) where the SLO failed.</summary>
        static SloTarget Limiting(RunSummary failing, IReadOnlyList<SloTarget> slo)
        {
            SloTarget worst = slo[0];
            foreach (SloTarget target in slo)
                if (target.Ratio(failing) > worst.Ratio(failing)) worst = target;
            return worst;
        }
    }

    public sealed class CapacityResult
    {
        /// <summary>Whether some tested load met the SLO.</summary>
        public bool Met { get; set; }

        /// <summary>The smallest time scale (highest load) that met the SLO; when none did, the largest tried.</summary>
        public double Scale { get; set; }

        public RunSummary AtScale { get; set; } = null!;

        /// <summary>The largest time scale found to fail, just above the capacity; NaN when every load tried met the SLO.</summary>
        public double FailingScale { get; set; }

        public RunSummary? FailingAt { get; set; }

        /// <summary>The bound that failed by most at <see cref="FailingScale"/>; null when none failed.</summary>
        public SloTarget? Limiting { get; set; }

        public int Runs { get; set; }
    }
}
