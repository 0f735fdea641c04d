using System;

namespace Sim.Core.Compute
{
    public sealed partial class CpuBackend
    {
        public int BestReplica(ReadOnlySpan<ReplicaScore> replicas)
        {
            if (replicas.Length == 0) throw new ArgumentException("no candidate replicas", nameof(replicas));
            int best = 0;
            for (int i = 1; i < replicas.Length; i++)
            {
                if (Better(replicas[i], replicas[best])) best = i;
            }
            return best;
        }

        /// <summary>Whether <paramref name="a"/> beats <paramref name="b"/> outright; equal scores keep the earlier position.</summary>
        static bool Better(in ReplicaScore a, in ReplicaScore b) =>
            a.PrefixBlocks > b.PrefixBlocks || (a.PrefixBlocks == b.PrefixBlocks && a.UncomputedTokens < b.UncomputedTokens);
    }
}
