namespace Sim.Core.Trace
{
    /// <summary>Generated arrivals: how many, how they are spaced, and how long prompts and outputs are.</summary>
    public sealed class SyntheticWorkload
    {
        public long Requests { get; set; } = 1000;

        public ArrivalProcess Arrival { get; set; } = ArrivalProcess.Poisson;

        public double RatePerS { get; set; } = 1;

        /// <summary>Coefficient of variation of the gaps for <see cref="ArrivalProcess.Gamma"/> (1 is Poisson; above 1 is burstier).</summary>
        public double GammaCv { get; set; } = 1;

        public LengthDistribution PromptTokens { get; set; } = new LengthDistribution { Kind = LengthKind.Fixed, Value = 512, Min = 512, Max = 512 };

        public LengthDistribution OutputTokens { get; set; } = new LengthDistribution { Kind = LengthKind.Fixed, Value = 128, Min = 128, Max = 128 };
    }

    public enum ArrivalProcess
    {
        /// <summary>Exponential gaps at <see cref="SyntheticWorkload.RatePerS"/>.</summary>
        Poisson,

        /// <summary>Gamma gaps with mean 1/rate and coefficient of variation <see cref="SyntheticWorkload.GammaCv"/>.</summary>
        Gamma,
    }
}
