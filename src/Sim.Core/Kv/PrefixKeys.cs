using System;

namespace Sim.Core.Kv
{
    /// <summary>
    /// Content keys of cached prompt blocks: a hash chain over a prompt's block hashes (Mooncake <c>hash_ids</c>, one
    /// per 512 tokens), so two blocks share a key only when everything up to their end is the same. The prefix cache
    /// keeps whole 512-token blocks (several KV pages each); only blocks wholly inside the prompt are cacheable.
    /// </summary>
    public static class PrefixKeys
    {
        public const int HashBlockTokens = 512;

        /// <summary>Key of the block after the one keyed <paramref name="previousKey"/> (0 before the first block); never 0.</summary>
        public static ulong Next(ulong previousKey, int hashId)
        {
            // splitmix64's finalizer over the previous key and the block id: well mixed, stable across runtimes.
            ulong x = previousKey * 0x9E3779B97F4A7C15UL + (uint)hashId + 1;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            x ^= x >> 31;
            return x == 0 ? 1 : x;
        }

        /// <summary>Whole prompt blocks the hashes identify.</summary>
        public static int CacheableBlocks(int[]? hashIds, int promptTokens) =>
            hashIds == null ? 0 : Math.Min(hashIds.Length, promptTokens / HashBlockTokens);

        /// <summary>Cacheable blocks a request may reuse: at least its last prompt token is computed, to produce the first output token.</summary>
        public static int ReusableBlocks(int[]? hashIds, int promptTokens) =>
            hashIds == null ? 0 : Math.Min(hashIds.Length, (promptTokens - 1) / HashBlockTokens);
    }
}
