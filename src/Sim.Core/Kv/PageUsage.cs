namespace Sim.Core.Kv
{
    /// <summary>What eviction policies know of one cached page (or a lower tier's copy of it).</summary>
    public struct PageUsage
    {
        /// <summary>When a request last held the page.</summary>
        public double LastAccessS;

        /// <summary>When the page's content first entered the cache.</summary>
        public double CachedAtS;

        /// <summary>Requests that computed or reused the page.</summary>
        public int AccessCount;

        /// <summary>Cacheable pages of the prompt that cached it: the "size" of size-aware eviction.</summary>
        public int ChainPages;
    }
}
