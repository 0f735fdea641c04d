using System;
using Sim.Core.Tokens;
using Sim.Core.Tokens.Policies;

namespace Sim.Core.Compute
{
    public sealed partial class CpuBackend
    {
        public void TokenKeys(CompressionPolicy policy, in TokenKeyArguments arguments, ReadOnlySpan<int> positions, ReadOnlySpan<float> scores,
            ReadOnlySpan<int> lastImportantSteps, ReadOnlySpan<int> maxRecurrenceIntervals, Span<float> keys)
        {
            int count = positions.Length;
            if (scores.Length < count || lastImportantSteps.Length < count || maxRecurrenceIntervals.Length < count || keys.Length < count)
                throw new ArgumentException("one score, step, interval and key per token", nameof(keys));
            TokenRule rule = policy.Rule();
            // Positions below `below` (the first protected) and from `from` on (the last protected) are never evicted.
            int below = rule.Evicts ? rule.ProtectedFirst(arguments) : int.MaxValue;
            int from = arguments.Positions - rule.ProtectedLast(arguments);
            for (int i = 0; i < count; i++)
            {
                int position = positions[i];
                keys[i] = position < below || position >= from
                    ? float.PositiveInfinity
                    : rule.Key(position, scores[i], lastImportantSteps[i], maxRecurrenceIntervals[i], arguments);
            }
        }
    }
}
