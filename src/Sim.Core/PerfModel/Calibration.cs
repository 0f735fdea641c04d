using System.Collections.Generic;

namespace Sim.Core.PerfModel
{
    /// <summary>What <see cref="EfficiencyFit.Calibrate"/> found: the fitted factors, each operator's error before and after, and the operators whose factors were kept.</summary>
    public sealed class Calibration
    {
        public Calibration(RooflineEfficiency fitted, IReadOnlyList<OperatorError> before, IReadOnlyList<OperatorError> after, IReadOnlyList<string> keptOperators)
        {
            KeptOperators = keptOperators;
            Fitted = fitted;
            Before = before;
            After = after;
        }

        public RooflineEfficiency Fitted { get; }

        public IReadOnlyList<OperatorError> Before { get; }

        public IReadOnlyList<OperatorError> After { get; }

        /// <summary>Operators whose class kept its starting factors: fitting them improved no median error, or worsened one.</summary>
        public IReadOnlyList<string> KeptOperators { get; }
    }
}
