using System;

namespace Sim.Core.PerfModel
{
    /// <summary>Predicts how long one replica iteration takes. Implementations allocate nothing per call.</summary>
    public interface IPerfModel
    {
        /// <summary>Wall time in seconds of one iteration over <paramref name="batch"/> on the whole replica.</summary>
        double IterationTimeS(ReadOnlySpan<SequenceWork> batch);
    }
}
