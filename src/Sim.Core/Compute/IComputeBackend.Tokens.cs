using System;
using Sim.Core.Tokens;
using Sim.Core.Tokens.Policies;

namespace Sim.Core.Compute
{
    public partial interface IComputeBackend
    {
        /// <summary>
        /// Token compression's ranking keys: for each resident token of a copy, from its columns (position, score, last
        /// important step, maximum recurrence interval), the policy's key (<see cref="TokenRule.Key"/>, lowest evicted
        /// first), or +∞ for a token the policy never evicts.
        /// </summary>
        void TokenKeys(CompressionPolicy policy, in TokenKeyArguments arguments, ReadOnlySpan<int> positions, ReadOnlySpan<float> scores,
            ReadOnlySpan<int> lastImportantSteps, ReadOnlySpan<int> maxRecurrenceIntervals, Span<float> keys);
    }
}
