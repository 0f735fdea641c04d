using System;

namespace Sim.Core.Kv
{
    /// <summary>
    /// Blocks on their way into an eviction order (a prefix cache's evictable set, a lower tier's) whose usage is known
    /// and whose scores are not yet computed. They wait for the step's one scoring call
    /// (<c>Systems/ReleaseScoringSystem</c>), or for the first operation that needs the order itself (an eviction),
    /// which scores them then. Scores are pure functions of usage, policy and the owner's inflation, and the inflation
    /// changes only at an eviction, which comes after the waiting blocks are scored; so a block's score, and its place
    /// among ties (entry order), are those it would have had if scored on arrival.
    /// </summary>
    internal interface IAwaitingScores
    {
        /// <summary>Blocks waiting for their scores.</summary>
        int AwaitingCount { get; }

        /// <summary>The inflation they are scored with (the owner's last evicted score).</summary>
        double InflationScore { get; }

        /// <summary>Their usage, in the order they enter the eviction order.</summary>
        void WriteAwaitingUsage(Span<BlockUsage> into);

        /// <summary>They enter the eviction order with <paramref name="scores"/>, in <see cref="WriteAwaitingUsage"/>'s order.</summary>
        void EnterScored(ReadOnlySpan<double> scores);
    }
}
