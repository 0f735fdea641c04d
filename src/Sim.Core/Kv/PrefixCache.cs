using System;
using System.Collections.Generic;
using Sim.Core.Components;
using Sim.Core.Compute;

namespace Sim.Core.Kv
{
    /// <summary>
    /// One replica's automatic prefix cache: full prompt pages are indexed by content key once computed, stay
    /// cached when their last request lets go, and are reused by later prompts that start the same way. Unreferenced
    /// cached pages are evicted by score only when a reservation finds no empty page, and move down to the host
    /// tier, then the SSD tier, when those exist.
    /// </summary>
    public sealed class PrefixCache
    {
        readonly KvBlockPool _pool;
        readonly Dictionary<ulong, int> _pageOfKey = new Dictionary<ulong, int>();
        readonly EvictionHeap _evictable = new EvictionHeap();
        readonly PageUsage[] _usage;
        readonly EvictionPolicy _policy;
        readonly IComputeBackend _backend;
        readonly double _pageBytes;
        readonly List<int> _released = new List<int>();
        readonly List<(int Position, ulong Key, PageUsage Usage)> _pulledUp = new List<(int, ulong, PageUsage)>();
        PageUsage[] _scoreInput = new PageUsage[64];
        double[] _scores = new double[64];
        double _inflationScore;

        internal PrefixCache(KvBlockPool pool, EvictionPolicy policy, IComputeBackend backend, double pageBytes, KvTier? host, KvTier? ssd)
        {
            _pool = pool;
            _usage = new PageUsage[pool.TotalPages];
            _policy = policy;
            _backend = backend;
            _pageBytes = pageBytes;
            Host = host;
            Ssd = ssd;
        }

        public KvTier? Host { get; }

        public KvTier? Ssd { get; }

        /// <summary>HBM pages indexed by content, referenced or not.</summary>
        public int CachedPages => _pageOfKey.Count;

        /// <summary>Cached HBM pages no request holds: free for reservations, at the cost of their content.</summary>
        public int EvictablePages => _evictable.Count;

        public bool IsCached(int page) => _pool.Page(page).ContentKey != 0;

        /// <summary>The leading pages of a prompt that this replica holds in some tier; changes nothing.</summary>
        public PrefixMatch Match(int[]? hashIds, int promptTokens)
        {
            var match = new PrefixMatch();
            int reusable = PrefixKeys.ReusablePages(hashIds, promptTokens, _pool.BlockTokens);
            ulong key = 0;
            for (int i = 0; i < reusable; i++)
            {
                key = PrefixKeys.Next(key, PrefixKeys.HashIdOfPage(hashIds!, i, _pool.BlockTokens));
                if (_pageOfKey.TryGetValue(key, out int page))
                {
                    match.HbmPages++;
                    if (_pool.Page(page).RefCount == 0) match.EvictableHbmPages++;
                }
                else if (Host != null && Host.Contains(key))
                {
                    match.HostPages++;
                    match.TransferS += _pageBytes / Host.BandwidthBytesPerS;
                }
                else if (Ssd != null && Ssd.Contains(key))
                {
                    match.SsdPages++;
                    match.TransferS += _pageBytes / Ssd.BandwidthBytesPerS;
                }
                else break;
                match.Pages++;
            }
            match.Tokens = match.Pages * _pool.BlockTokens;
            return match;
        }

        /// <summary>
        /// Puts the pages of <paramref name="match"/> (just computed by <see cref="Match"/>) into an empty page table:
        /// HBM hits are shared, lower-tier hits are copied into new pages. Returns the key of the last page.
        /// The caller has checked that enough pages are free.
        /// </summary>
        internal ulong Attach(ref KvPageTable table, in PrefixMatch match, int[] hashIds, double nowS)
        {
            ulong key = 0;
            _pulledUp.Clear();
            for (int i = 0; i < match.Pages; i++)
            {
                key = PrefixKeys.Next(key, PrefixKeys.HashIdOfPage(hashIds, i, _pool.BlockTokens));
                if (_pageOfKey.TryGetValue(key, out int page))
                {
                    _pool.Pin(page);
                    Touch(ref _usage[page], nowS);
                    _pool.Append(ref table, page);
                    continue;
                }
                // Out of its tier before any page is taken below: the evictions that taking causes could push it out.
                if (!(Host != null && Host.TryTake(key, out PageUsage usage)) && !(Ssd != null && Ssd.TryTake(key, out usage)))
                    throw new InvalidOperationException("a matched page left the cache before it was attached");
                Touch(ref usage, nowS);
                _pulledUp.Add((i, key, usage));
                _pool.Append(ref table, -1);
            }
            foreach ((int position, ulong pulledKey, PageUsage usage) in _pulledUp)
            {
                int page = _pool.TakePage();
                _pool.Page(page).ContentKey = pulledKey;
                _pageOfKey.Add(pulledKey, page);
                _usage[page] = usage;
                table.Pages[position] = page;
            }
            return key;
        }

        /// <summary>
        /// Indexes the request's prompt pages that became complete: from <paramref name="cachedPages"/> (advanced) up to
        /// its computed tokens. A page whose content another page already holds stays unindexed.
        /// </summary>
        public void RegisterComputed(in KvPageTable table, int[]? hashIds, int promptTokens, int computedTokens, ref int cachedPages, ref ulong lastKey, double nowS)
        {
            int cacheable = PrefixKeys.CacheablePages(hashIds, promptTokens, _pool.BlockTokens);
            int complete = Math.Min(cacheable, computedTokens / _pool.BlockTokens);
            for (; cachedPages < complete; cachedPages++)
            {
                lastKey = PrefixKeys.Next(lastKey, PrefixKeys.HashIdOfPage(hashIds!, cachedPages, _pool.BlockTokens));
                int page = table.Pages[cachedPages];
                ref KvPage content = ref _pool.Page(page);
                if (content.ContentKey != 0 || _pageOfKey.ContainsKey(lastKey)) continue;
                content.ContentKey = lastKey;
                _pageOfKey.Add(lastKey, page);
                _usage[page] = new PageUsage { LastAccessS = nowS, CachedAtS = nowS, AccessCount = 1, ChainPages = cacheable };
                // A stale copy below would otherwise meet this page again when it is evicted.
                Host?.TryTake(lastKey, out _);
                Ssd?.TryTake(lastKey, out _);
            }
        }

        /// <summary>A cached page lost its last holder; it becomes evictable at the next <see cref="FlushReleased"/>.</summary>
        internal void Released(int page) => _released.Add(page);

        /// <summary>Scores the pages released by one request and makes them evictable, deepest first so ties evict leaves before roots.</summary>
        internal void FlushReleased(double nowS)
        {
            int count = _released.Count;
            if (count == 0) return;
            if (_scoreInput.Length < count)
            {
                _scoreInput = new PageUsage[count * 2];
                _scores = new double[count * 2];
            }
            for (int i = 0; i < count; i++)
            {
                int page = _released[count - 1 - i];
                _usage[page].LastAccessS = nowS;
                _scoreInput[i] = _usage[page];
            }
            _backend.ScoreEviction(_policy, new ReadOnlySpan<PageUsage>(_scoreInput, 0, count), _inflationScore, _scores);
            for (int i = 0; i < count; i++) _evictable.Push(_released[count - 1 - i], _scores[i]);
            _released.Clear();
        }

        /// <summary>A request took an unreferenced cached page: it is no longer evictable.</summary>
        internal void Reused(int page) => _evictable.Remove(page);

        /// <summary>Evicts the lowest-scored unreferenced page, moving its content down a tier; returns the now empty page.</summary>
        internal int EvictOne()
        {
            int page = _evictable.PopMin(out _inflationScore);
            ref KvPage content = ref _pool.Page(page);
            _pageOfKey.Remove(content.ContentKey);
            Demote(content.ContentKey, _usage[page]);
            content.ContentKey = 0;
            return page;
        }

        void Demote(ulong key, in PageUsage usage)
        {
            if (Host != null)
            {
                if (Host.Insert(key, usage, out ulong hostEvictedKey, out PageUsage hostEvictedUsage) && Ssd != null)
                    Ssd.Insert(hostEvictedKey, hostEvictedUsage, out _, out _);
            }
            else
            {
                Ssd?.Insert(key, usage, out _, out _);
            }
        }

        static void Touch(ref PageUsage usage, double nowS)
        {
            usage.LastAccessS = nowS;
            usage.AccessCount++;
        }

        /// <summary>For invariant checks: whether the index and the pages agree.</summary>
        internal bool IndexMatchesPages(out string problem)
        {
            foreach (KeyValuePair<ulong, int> entry in _pageOfKey)
            {
                ref KvPage page = ref _pool.Page(entry.Value);
                if (page.ContentKey != entry.Key) { problem = "page " + entry.Value + " is indexed under a key it does not hold"; return false; }
                if ((page.RefCount == 0) != _evictable.Contains(entry.Value)) { problem = "page " + entry.Value + " with " + page.RefCount + " holders is " + (_evictable.Contains(entry.Value) ? "" : "not ") + "evictable"; return false; }
            }
            problem = "";
            return true;
        }
    }
}
