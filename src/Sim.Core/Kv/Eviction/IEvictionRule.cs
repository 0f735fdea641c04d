namespace Sim.Core.Kv.Eviction
{
    /// <summary>
    /// One eviction policy of cached KV blocks: its scene name and its score, the lowest leaving first. Each rule is one
    /// file and one row of <see cref="EvictionPolicies"/>, whose id is the policy number the eviction shader switches on
    /// (shaders/evict_score.comp) where the rule has a GPU twin.
    /// </summary>
    public interface IEvictionRule
    {
        /// <summary>The scene's <c>kv.eviction</c> value.</summary>
        string Name { get; }

        /// <param name="inflationScore">The tier's inflation: the score of the last block it evicted (size-aware aging).</param>
        double Score(in BlockUsage block, double inflationScore);
    }
}
