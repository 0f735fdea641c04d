using System.Collections.Generic;

namespace Sim.Core.PerfModel
{
    /// <summary>What <see cref="EfficiencyFit.Calibrate"/> found: the fitted factors, each operator's error before and after, and the operators whose factors were kept.</summary>
    public sealed class Calibration
    {
        public Calibration(RooflineEfficiency fitted, IReadOnlyList<OperatorError> before, IReadOnlyList<OperatorError> after, IReadOnlyList<string> keptOperators,
            IReadOnlyList<OperatorError>? heldOut = null)
        {
            KeptOperators = keptOperators;
            HeldOut = heldOut;
            Fitted = fitted;
            Before = before;
            After = after;
        }

        public RooflineEfficiency Fitted { get; }

        public IReadOnlyList<OperatorError> Before { get; }

        public IReadOnlyList<OperatorError> After { get; }

        /// <summary>Errors of the fitted factors on the rows held out of the fit; null when none were.</summary>
        public IReadOnlyList<OperatorError>? HeldOut { get; }

        /// <summary>Operators whose class kept its starting factors: fitting them improved no median error, or worsened one.</summary>
        public IReadOnlyList<string> KeptOperators { get; }
    }
}
