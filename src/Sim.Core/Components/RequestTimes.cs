namespace Sim.Core.Components
{
    /// <summary>Timestamps of a request's phases in simulated seconds; NaN until the phase happens.</summary>
    public struct RequestTimes
    {
        /// <summary>Start of the first iteration that computed any of its tokens.</summary>
        public double FirstScheduledS;

        public double FirstTokenS;

        public double LastTokenS;

        /// <summary>Largest gap between two consecutive output tokens.</summary>
        public double MaxTbtS;
    }
}
