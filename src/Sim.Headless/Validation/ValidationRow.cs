using System;

namespace Sim.Headless.Validation
{
    /// <summary>One figure of one run beside Vidur's: a latency percentile, or the preemption count against Vidur's restarts.</summary>
    public sealed class ValidationRow
    {
        /// <summary>Latencies within this relative error of Vidur's pass.</summary>
        public const double LatencyTolerance = 0.10;

        /// <summary>Preemptions within this factor of Vidur's restarts, either way, pass.</summary>
        public const double PreemptionFactor = 2;

        public string Run { get; set; } = "";

        /// <summary><c>ttft</c>, <c>e2e</c>, <c>tbt</c>, <c>queue</c>, <c>preemptions</c> or <c>preempted_requests</c>.</summary>
        public string Metric { get; set; } = "";

        /// <summary><c>p50</c>, <c>p90</c>, <c>p99</c>, or empty for counts.</summary>
        public string Quantile { get; set; } = "";

        public double Sim { get; set; }

        public double Vidur { get; set; }

        /// <summary>Whether the figure has a target (queueing and preempted requests are reported only).</summary>
        public bool HasTarget { get; set; }

        /// <summary>Sim / Vidur - 1; NaN when Vidur's figure is 0.</summary>
        public double Error => Vidur != 0 ? Sim / Vidur - 1 : Sim == 0 ? 0 : double.NaN;

        public bool Within
        {
            get
            {
                if (!HasTarget) return true;
                // (a hair of slack so that exactly 10 % passes despite rounding in the ratio)
                if (Quantile.Length > 0) return Math.Abs(Error) <= LatencyTolerance + 1e-12;
                if (Vidur == 0 || Sim == 0) return Vidur == Sim;
                double ratio = Sim / Vidur;
                return ratio <= PreemptionFactor + 1e-12 && ratio >= 1 / PreemptionFactor - 1e-12;
            }
        }
    }
}
