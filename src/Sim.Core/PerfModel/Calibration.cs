using System.Collections.Generic;

namespace Sim.Core.PerfModel
{
    /// <summary>What <see cref="EfficiencyFit.Calibrate"/> found: the fitted factors and each operator's error before and after.</summary>
    public sealed class Calibration
    {
        public Calibration(RooflineEfficiency fitted, IReadOnlyList<OperatorError> before, IReadOnlyList<OperatorError> after)
        {
            Fitted = fitted;
            Before = before;
            After = after;
        }

        public RooflineEfficiency Fitted { get; }

        public IReadOnlyList<OperatorError> Before { get; }

        public IReadOnlyList<OperatorError> After { get; }
    }
}
