using System;

namespace Sim.Core.Policies
{
    /// <summary>
    /// A scene's rule for priority classes (<c>scheduler.priority</c>), in place of the trace's: a request's class is
    /// how many of the ascending bounds its prompt (or output) length reaches, so shorter requests are more urgent.
    /// </summary>
    public sealed class PriorityRule
    {
        public PriorityRule(bool byOutputTokens, int[] boundsTokens)
        {
            for (int i = 1; i < boundsTokens.Length; i++)
                if (boundsTokens[i] <= boundsTokens[i - 1]) throw new ArgumentException("bounds must rise", nameof(boundsTokens));
            ByOutputTokens = byOutputTokens;
            BoundsTokens = boundsTokens;
        }

        /// <summary>Classes by output length (known to the simulator, not to a real scheduler: an oracle study) instead of prompt length.</summary>
        public bool ByOutputTokens { get; }

        public int[] BoundsTokens { get; }

        public int ClassOf(int promptTokens, int outputTokens)
        {
            int tokens = ByOutputTokens ? outputTokens : promptTokens;
            int priorityClass = 0;
            while (priorityClass < BoundsTokens.Length && tokens >= BoundsTokens[priorityClass]) priorityClass++;
            return priorityClass;
        }
    }
}
