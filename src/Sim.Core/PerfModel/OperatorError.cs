namespace Sim.Core.PerfModel
{
    /// <summary>How far the model's times for one operator fall from measured ones: |predicted − measured| / measured over the compared rows.</summary>
    public readonly struct OperatorError
    {
        public OperatorError(string op, int rows, double medianRelativeError, double p90RelativeError)
        {
            Op = op;
            Rows = rows;
            MedianRelativeError = medianRelativeError;
            P90RelativeError = p90RelativeError;
        }

        public string Op { get; }

        public int Rows { get; }

        public double MedianRelativeError { get; }

        public double P90RelativeError { get; }
    }
}
