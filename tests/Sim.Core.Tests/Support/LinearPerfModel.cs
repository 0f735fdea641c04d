using System;
using Sim.Core.PerfModel;

namespace Sim.Core.Tests.Support
{
    /// <summary>A perf model simple enough to work timelines out by hand: fixed cost plus a cost per computed token.</summary>
    internal sealed class LinearPerfModel : IPerfModel
    {
        public LinearPerfModel(double fixedS, double perTokenS)
        {
            FixedS = fixedS;
            PerTokenS = perTokenS;
        }

        public double FixedS { get; }

        public double PerTokenS { get; }

        public double IterationTimeS(ReadOnlySpan<SequenceWork> batch)
        {
            int tokens = 0;
            foreach (SequenceWork work in batch) tokens += work.NewTokens;
            return FixedS + PerTokenS * tokens;
        }
    }
}
