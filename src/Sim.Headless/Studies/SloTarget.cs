using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Sim.Core;
using Sim.Core.Metrics;

namespace Sim.Headless.Studies
{
    /// <summary>
    /// One bound of <c>--slo</c>: a latency figure of the summary (<c>&lt;ttft|tbt|e2e|queue&gt;_&lt;mean|p50|p90|p99|max&gt;</c>,
    /// in seconds) that must not exceed <see cref="BoundS"/>.
    /// </summary>
    public sealed class SloTarget
    {
        static readonly string[] Metrics = { "ttft", "tbt", "e2e", "queue" };
        static readonly string[] Stats = { "mean", "p50", "p90", "p99", "max" };

        SloTarget(string key, double boundS)
        {
            Key = key;
            BoundS = boundS;
        }

        public string Key { get; }

        public double BoundS { get; }

        public static IEnumerable<string> Keys => Metrics.SelectMany(m => Stats.Select(s => m + "_" + s));

        /// <summary>Reads <c>key=seconds,key=seconds</c>.</summary>
        public static IReadOnlyList<SloTarget> ParseList(string text)
        {
            var targets = new List<SloTarget>();
            foreach (string part in text.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries))
            {
                string[] pair = part.Split('=');
                string key = pair[0].Trim();
                if (pair.Length != 2 || !Keys.Contains(key))
                    throw new SimInputException("--slo", 0, key, "expected key=seconds with key one of " + string.Join(", ", Keys));
                if (!double.TryParse(pair[1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double bound) || !(bound > 0) || double.IsInfinity(bound))
                    throw new SimInputException("--slo", 0, key, "'" + pair[1].Trim() + "' is not a number of seconds above 0");
                if (targets.Any(t => t.Key == key)) throw new SimInputException("--slo", 0, key, "given twice");
                targets.Add(new SloTarget(key, bound));
            }
            if (targets.Count == 0) throw new SimInputException("--slo", 0, "", "give at least one bound, e.g. --slo ttft_p99=2,tbt_p99=0.2");
            return targets;
        }

        public double ValueIn(RunSummary summary)
        {
            string[] parts = Key.Split('_');
            Distribution d = parts[0] switch
            {
                "ttft" => summary.TtftS,
                "tbt" => summary.TbtS,
                "e2e" => summary.E2eS,
                _ => summary.QueueS,
            };
            return parts[1] switch
            {
                "mean" => d.Mean,
                "p50" => d.P50,
                "p90" => d.P90,
                "p99" => d.P99,
                _ => d.Max,
            };
        }

        /// <summary>Value over bound: at most 1 when met.</summary>
        public double Ratio(RunSummary summary) => ValueIn(summary) / BoundS;
    }
}
