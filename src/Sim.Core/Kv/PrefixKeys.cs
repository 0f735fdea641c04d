using System;

namespace Sim.Core.Kv
{
    /// <summary>
    /// Content keys of KV pages: a hash chain over a prompt's block hashes (Mooncake <c>hash_ids</c>, one per
    /// 512 tokens), so two pages share a key only when everything up to their end is the same. A page's block is
    /// the hash block of its last token. Only pages wholly inside the prompt and covered by hashes are cacheable.
    /// </summary>
    public static class PrefixKeys
    {
        public const int HashBlockTokens = 512;

        /// <summary>Key of the page after the one keyed <paramref name="previousKey"/> (0 before the first page); never 0.</summary>
        public static ulong Next(ulong previousKey, int hashId)
        {
            // splitmix64's finalizer over the previous key and the block id: well mixed, stable across runtimes.
            ulong x = previousKey * 0x9E3779B97F4A7C15UL + (uint)hashId + 1;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            x ^= x >> 31;
            return x == 0 ? 1 : x;
        }

        public static int HashIdOfPage(int[] hashIds, int page, int blockTokens) =>
            hashIds[(int)(((long)(page + 1) * blockTokens - 1) / HashBlockTokens)];

        /// <summary>Full prompt pages whose content the hashes identify.</summary>
        public static int CacheablePages(int[]? hashIds, int promptTokens, int blockTokens) =>
            hashIds == null ? 0 : (int)Math.Min(promptTokens / blockTokens, (long)hashIds.Length * HashBlockTokens / blockTokens);

        /// <summary>Cacheable pages a request may reuse: at least its last prompt token is computed, to produce the first output token.</summary>
        public static int ReusablePages(int[]? hashIds, int promptTokens, int blockTokens) =>
            Math.Min(CacheablePages(hashIds, promptTokens, blockTokens), (promptTokens - 1) / blockTokens);
    }
}
