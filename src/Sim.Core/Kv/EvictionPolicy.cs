using System;
using Sim.Core.Kv.Eviction;

namespace Sim.Core.Kv
{
    /// <summary>
    /// An eviction policy's id (<c>kv.eviction</c>): its row in <see cref="EvictionPolicies"/>, which is also the policy
    /// number the eviction shader switches on. Each policy's score is its own file under Kv/Eviction.
    /// </summary>
    public enum EvictionPolicy
    {
        Lru,
        Lfu,
        Fifo,
        SizeAware,
        Predicted,
        Belady,
    }

    /// <summary>The eviction policies: one row each, in id order; a new policy is one rule file and one row (and one shader case).</summary>
    public static class EvictionPolicies
    {
        static readonly IEvictionRule[] Rules =
        {
            new LruRule(),
            new LfuRule(),
            new FifoRule(),
            new SizeAwareRule(),
            new PredictedRule(),
            new BeladyRule(),
        };

        public static readonly string[] Names = Array.ConvertAll(Rules, rule => rule.Name);

        /// <summary>Every registered policy, in id order.</summary>
        public static int Count => Rules.Length;

        public static IEvictionRule Rule(this EvictionPolicy policy) => Rules[(int)policy];

        /// <summary>The policy named <paramref name="name"/>; the scene loader has checked it is one of <see cref="Names"/>.</summary>
        public static EvictionPolicy Parse(string name)
        {
            int id = Array.IndexOf(Names, name);
            if (id < 0) throw new ArgumentException("no eviction policy is named " + name + "; the policies are " + string.Join(", ", Names), nameof(name));
            return (EvictionPolicy)id;
        }

        /// <summary>Whether the policy's score reads the tier's inflation (size-aware aging): blocks of tiers whose inflations differ are scored apart.</summary>
        public static bool ReadsInflation(this EvictionPolicy policy) => policy == EvictionPolicy.SizeAware;

        /// <summary>Whether the policy reads the workload ahead (a <see cref="ReuseOracle"/> and a <see cref="ReusePredictor"/>).</summary>
        public static bool ReadsFuture(this EvictionPolicy policy) => policy == EvictionPolicy.Predicted || policy == EvictionPolicy.Belady;
    }
}
