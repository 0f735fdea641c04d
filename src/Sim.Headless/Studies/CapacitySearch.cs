using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks;
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

        /// <summary>Where the search stands: the loads found to meet and to fail so far, and the bracketing steps taken.</summary>
        readonly struct State
        {
            public State(double meetS, double failS, int bracketSteps)
            {
                MeetS = meetS;
                FailS = failS;
                BracketSteps = bracketSteps;
            }

            /// <summary>The smallest time scale that met the SLO; NaN before one did.</summary>
            public double MeetS { get; }

            /// <summary>The largest time scale that failed; NaN before one did.</summary>
            public double FailS { get; }

            public int BracketSteps { get; }

            /// <summary>The next time scale to try: 1 first, then halving or doubling until both ends are found, then the geometric midpoint; NaN when done.</summary>
            public double Next(double tolerance)
            {
                bool met = !double.IsNaN(MeetS), failed = !double.IsNaN(FailS);
                if (!met && !failed) return 1;
                if (!met || !failed) return BracketSteps < MaxSteps ? (met ? MeetS / 2 : FailS * 2) : double.NaN;
                return MeetS / FailS > 1 + tolerance ? Math.Sqrt(MeetS * FailS) : double.NaN;
            }

            public State After(double scale, bool meets)
            {
                bool bracketing = double.IsNaN(MeetS) || double.IsNaN(FailS);
                bool first = double.IsNaN(MeetS) && double.IsNaN(FailS);
                int steps = BracketSteps + (bracketing && !first ? 1 : 0);
                return meets ? new State(scale, FailS, steps) : new State(MeetS, scale, steps);
            }
        }

        /// <param name="parallel">Runs at once: while one load runs, the loads the search would try after either of its
        /// outcomes run too (speculatively, a level or two ahead), so the search tries the same loads in the same order and
        /// gives the same answer whatever the number of cores, only sooner.</param>
        public static CapacityResult Run(Func<double, RunSummary> runAtScale, IReadOnlyList<SloTarget> slo, double tolerance, int parallel = 1)
        {
            var result = new CapacityResult();
            var summaries = new ConcurrentDictionary<double, RunSummary>();
            var state = new State(double.NaN, double.NaN, 0);
            RunSummary? meet = null, fail = null;
            double scale;
            while (!double.IsNaN(scale = state.Next(tolerance)))
            {
                var ahead = new List<double>();
                Speculate(state, tolerance, Math.Max(1, parallel), ahead);
                try
                {
                    Parallel.ForEach(ahead.FindAll(s => !summaries.ContainsKey(s)), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallel) },
                        s => summaries[s] = runAtScale(s));
                }
                catch (AggregateException e)
                {
                    // A run's own exception (a user mistake surfacing mid-run, a bug), as a sequential search would throw it.
                    ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
                }
                RunSummary summary = summaries[scale];
                result.Runs++;
                bool meets = Meets(summary, slo);
                if (meets) meet = summary;
                else fail = summary;
                state = state.After(scale, meets);
            }
            result.Met = meet != null;
            result.Scale = meet != null ? state.MeetS : state.FailS;
            result.AtScale = meet ?? fail!;
            result.FailingScale = fail != null ? state.FailS : double.NaN;
            result.FailingAt = fail;
            if (fail != null) result.Limiting = Limiting(fail, slo);
            return result;
        }

        /// <summary>The next load and, breadth first, the loads after each outcome, up to <paramref name="count"/> of them.</summary>
        static void Speculate(State state, double tolerance, int count, List<double> scales)
        {
            var frontier = new Queue<State>();
            frontier.Enqueue(state);
            while (frontier.Count > 0 && scales.Count < count)
            {
                State next = frontier.Dequeue();
                double scale = next.Next(tolerance);
                if (double.IsNaN(scale)) continue;
                if (!scales.Contains(scale)) scales.Add(scale);
                frontier.Enqueue(next.After(scale, true));
                frontier.Enqueue(next.After(scale, false));
            }
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
