using System;
using Sim.Core.Components;
using Sim.Core.Compute;
using Sim.Core.Snapshots;

namespace Sim.Core.Kv
{
    /// <summary>
    /// One replica's automatic prefix cache, in whole 512-token prompt blocks (the unit of prefix hashes; a block
    /// spans <see cref="PagesPerBlock"/> KV pages). A block is indexed by content key once computed, stays cached when
    /// its last request lets go, and is reused by later prompts that start the same way. Requests share a block's
    /// pages all together, so its pages always have the same holders. Unheld cached blocks are evicted by score only
    /// when a reservation finds no empty page, and move down to the host tier, then the SSD tier, when those exist.
    /// </summary>
    public sealed class PrefixCache : ISnapshotState
    {

        readonly KvBlockPool _pool;
        readonly KeyIndex _blockOfKey = new KeyIndex();
        readonly EvictionHeap _evictable = new EvictionHeap();
        readonly ulong[] _blockKey;
        readonly int[] _blockPages;
        readonly BlockUsage[] _usage;
        readonly int[] _freeBlocks;
        readonly EvictionPolicy _policy;
        readonly IComputeBackend _backend;
        readonly ReusePredictor? _predictor;
        readonly double _blockBytes;
        readonly int[] _released;
        readonly (ulong Key, BlockUsage Usage)[] _pulledUp;
        int _freeBlockCount, _releasedCount;
        BlockUsage[] _scoreInput = new BlockUsage[64];
        double[] _scores = new double[64];
        double _inflationScore;

        internal PrefixCache(KvBlockPool pool, EvictionPolicy policy, IComputeBackend backend, double pageBytes, KvTier? host, KvTier? ssd, ReusePredictor? predictor)
        {
            if (PrefixKeys.HashBlockTokens % pool.BlockTokens != 0)
                throw new ArgumentException("prefix caching needs block_tokens to divide " + PrefixKeys.HashBlockTokens, nameof(pool));
            _pool = pool;
            PagesPerBlock = PrefixKeys.HashBlockTokens / pool.BlockTokens;
            int maxBlocks = pool.TotalPages / PagesPerBlock;
            _blockKey = new ulong[maxBlocks];
            _blockPages = new int[maxBlocks * PagesPerBlock];
            _usage = new BlockUsage[maxBlocks];
            _freeBlocks = new int[maxBlocks];
            for (int b = 0; b < maxBlocks; b++) _freeBlocks[_freeBlockCount++] = maxBlocks - 1 - b;
            _released = new int[maxBlocks];
            _pulledUp = new (ulong, BlockUsage)[maxBlocks];
            _policy = policy;
            _backend = backend;
            _predictor = predictor;
            _blockBytes = pageBytes * PagesPerBlock;
            Host = host;
            Ssd = ssd;
        }

        public KvTier? Host { get; }

        public KvTier? Ssd { get; }

        public int PagesPerBlock { get; }

        /// <summary>Blocks cached in HBM, held or not.</summary>
        public int CachedBlocks => _blockOfKey.Count;

        /// <summary>Pages of cached HBM blocks no request holds: free for reservations, at the cost of their content.</summary>
        public int EvictablePages => _evictable.Count * PagesPerBlock;

        /// <summary>Blocks evicted from HBM so far (each moved down a tier or dropped).</summary>
        public long Evictions { get; private set; }

        /// <summary>The cached blocks, their index and eviction order, and the tiers below.</summary>
        void ISnapshotState.Save(SnapshotWriter writer)
        {
            writer.Write(_blockKey);
            writer.Write(_blockPages);
            writer.Write(_usage);
            writer.Write(_freeBlocks);
            writer.Write(_released);
            writer.Write(_freeBlockCount);
            writer.Write(_releasedCount);
            writer.Write(_inflationScore);
            writer.Write(Evictions);
            ((ISnapshotState)_blockOfKey).Save(writer);
            ((ISnapshotState)_evictable).Save(writer);
            if (Host != null) ((ISnapshotState)Host).Save(writer);
            if (Ssd != null) ((ISnapshotState)Ssd).Save(writer);
            if (_predictor != null) ((ISnapshotState)_predictor).Save(writer);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            reader.ReadInto(_blockKey);
            reader.ReadInto(_blockPages);
            reader.ReadInto(_usage);
            reader.ReadInto(_freeBlocks);
            reader.ReadInto(_released);
            _freeBlockCount = reader.Read<int>();
            _releasedCount = reader.Read<int>();
            _inflationScore = reader.Read<double>();
            Evictions = reader.Read<long>();
            ((ISnapshotState)_blockOfKey).Load(reader);
            ((ISnapshotState)_evictable).Load(reader);
            if (Host != null) ((ISnapshotState)Host).Load(reader);
            if (Ssd != null) ((ISnapshotState)Ssd).Load(reader);
            if (_predictor != null) ((ISnapshotState)_predictor).Load(reader);
        }

        /// <summary>The leading blocks of a prompt that this replica holds in some tier; changes nothing.</summary>
        public PrefixMatch Match(int[]? hashIds, int promptTokens)
        {
            var match = new PrefixMatch();
            int reusable = PrefixKeys.ReusableBlocks(hashIds, promptTokens);
            ulong key = 0;
            for (int b = 0; b < reusable; b++)
            {
                key = PrefixKeys.Next(key, hashIds![b]);
                if (_blockOfKey.TryGetValue(key, out int block))
                {
                    match.HbmBlocks++;
                    if (_evictable.Contains(block)) match.EvictableHbmBlocks++;
                }
                else if (Host != null && Host.Contains(key))
                {
                    match.HostBlocks++;
                    match.TransferS += _blockBytes / Host.BandwidthBytesPerS;
                }
                else if (Ssd != null && Ssd.Contains(key))
                {
                    match.SsdBlocks++;
                    match.TransferS += _blockBytes / Ssd.BandwidthBytesPerS;
                }
                else break;
                match.Blocks++;
            }
            return match;
        }

        /// <summary>
        /// Puts the blocks of <paramref name="match"/> (just computed by <see cref="Match"/>) into an empty page table:
        /// HBM hits are shared, lower-tier hits are copied into new pages. Returns the key of the last block.
        /// The caller has checked that enough pages are free.
        /// </summary>
        internal ulong Attach(ref KvPageTable table, in PrefixMatch match, int[] hashIds, double nowS)
        {
            ulong key = 0;
            int pulledUp = 0;
            for (int b = 0; b < match.Blocks; b++)
            {
                key = PrefixKeys.Next(key, hashIds[b]);
                if (_blockOfKey.TryGetValue(key, out int block))
                {
                    _evictable.Remove(block);
                    Touch(ref _usage[block], nowS);
                    for (int p = 0; p < PagesPerBlock; p++)
                    {
                        int page = _blockPages[block * PagesPerBlock + p];
                        _pool.Page(page).RefCount++;
                        _pool.Append(ref table, page);
                    }
                    continue;
                }
                // Out of its tier before any page is taken below: the evictions that taking causes could push it out.
                if (!(Host != null && Host.TryTake(key, out BlockUsage usage)) && !(Ssd != null && Ssd.TryTake(key, out usage)))
                    throw new InvalidOperationException("a matched block left the cache before it was attached");
                Touch(ref usage, nowS);
                _pulledUp[pulledUp++] = (key, usage);
                for (int p = 0; p < PagesPerBlock; p++) _pool.Append(ref table, -1);
            }
            for (int i = 0, position = 0; i < pulledUp; position += PagesPerBlock)
            {
                if (table.Pages[position] != -1) continue;
                for (int p = 0; p < PagesPerBlock; p++) table.Pages[position + p] = _pool.TakePage();
                Index(_pulledUp[i].Key, table.Pages, position, _pulledUp[i].Usage);
                i++;
            }
            return key;
        }

        /// <summary>
        /// Indexes the request's prompt blocks that became complete: from <paramref name="cachedBlocks"/> (advanced) up
        /// to its computed tokens. A block whose content another block already holds stays unindexed.
        /// </summary>
        public void RegisterComputed(in KvPageTable table, int[]? hashIds, int promptTokens, int computedTokens, ref int cachedBlocks, ref ulong lastKey, double nowS)
        {
            int cacheable = PrefixKeys.CacheableBlocks(hashIds, promptTokens);
            int complete = Math.Min(cacheable, computedTokens / PrefixKeys.HashBlockTokens);
            for (; cachedBlocks < complete; cachedBlocks++)
            {
                lastKey = PrefixKeys.Next(lastKey, hashIds![cachedBlocks]);
                if (_blockOfKey.ContainsKey(lastKey)) continue;
                Index(lastKey, table.Pages, cachedBlocks * PagesPerBlock, new BlockUsage { LastAccessS = nowS, CachedAtS = nowS, AccessCount = 1, ChainBlocks = cacheable });
                // A stale copy below would otherwise meet this block again when it is evicted.
                Host?.TryTake(lastKey, out _);
                Ssd?.TryTake(lastKey, out _);
            }
        }

        void Index(ulong key, int[] tablePages, int firstPosition, in BlockUsage usage)
        {
            int block = _freeBlocks[--_freeBlockCount];
            _blockOfKey.Add(key, block);
            _blockKey[block] = key;
            _usage[block] = usage;
            for (int p = 0; p < PagesPerBlock; p++)
            {
                int page = tablePages[firstPosition + p];
                _blockPages[block * PagesPerBlock + p] = page;
                _pool.Page(page).ContentKey = key;
            }
        }

        /// <summary>The last holder of a cached block's pages let go; it becomes evictable at the next <see cref="FlushReleased"/>.</summary>
        internal void Released(ulong key)
        {
            _blockOfKey.TryGetValue(key, out int block);
            _released[_releasedCount++] = block;
        }

        /// <summary>Scores the blocks released by one request and makes them evictable, deepest first so ties evict leaves before roots.</summary>
        internal void FlushReleased(double nowS)
        {
            int count = _releasedCount;
            if (count == 0) return;
            if (_scoreInput.Length < count)
            {
                _scoreInput = new BlockUsage[count * 2];
                _scores = new double[count * 2];
            }
            for (int i = 0; i < count; i++)
            {
                int block = _released[count - 1 - i];
                _usage[block].LastAccessS = nowS;
                if (_policy == EvictionPolicy.Belady) _usage[block].NextUseRank = _predictor!.NextUseRank(_blockKey[block], nowS);
                else if (_predictor != null) _usage[block].PredictedReuse = _predictor.Predict(_blockKey[block], nowS);
                _scoreInput[i] = _usage[block];
            }
            _backend.ScoreEviction(_policy, new ReadOnlySpan<BlockUsage>(_scoreInput, 0, count), _inflationScore, _scores);
            for (int i = 0; i < count; i++) _evictable.Push(_released[count - 1 - i], _scores[i]);
            _releasedCount = 0;
        }

        /// <summary>Evicts the lowest-scored unheld block, moving its content down a tier; its pages become empty.</summary>
        internal void EvictOne()
        {
            int block = _evictable.PopMin(out _inflationScore);
            Evictions++;
            ulong key = _blockKey[block];
            _blockOfKey.Remove(key);
            Demote(key, _usage[block]);
            for (int p = 0; p < PagesPerBlock; p++)
            {
                ref KvPage page = ref _pool.Page(_blockPages[block * PagesPerBlock + p]);
                page.ContentKey = 0;
                _pool.ReturnEmpty(ref page);
            }
            _freeBlocks[_freeBlockCount++] = block;
        }

        void Demote(ulong key, in BlockUsage usage)
        {
            if (Host != null)
            {
                if (Host.Insert(key, usage, out ulong hostEvictedKey, out BlockUsage hostEvictedUsage) && Ssd != null)
                    Ssd.Insert(hostEvictedKey, hostEvictedUsage, out _, out _);
            }
            else
            {
                Ssd?.Insert(key, usage, out _, out _);
            }
        }

        static void Touch(ref BlockUsage usage, double nowS)
        {
            usage.LastAccessS = nowS;
            usage.AccessCount++;
        }

        /// <summary>For invariant checks: whether the index and the pages agree.</summary>
        internal bool IndexMatchesPages(out string problem)
        {
            string found = "";
            _blockOfKey.ForEach((key, block) =>
            {
                if (found.Length > 0) return;
                int holders = _pool.Page(_blockPages[block * PagesPerBlock]).RefCount;
                for (int p = 0; p < PagesPerBlock && found.Length == 0; p++)
                {
                    ref KvPage page = ref _pool.Page(_blockPages[block * PagesPerBlock + p]);
                    if (page.ContentKey != key) found = "page " + page.Index + " is indexed under a key it does not hold";
                    else if (page.RefCount != holders) found = "the pages of cached block " + block + " have different holders";
                }
                if (found.Length == 0 && (holders == 0) != _evictable.Contains(block))
                    found = "cached block " + block + " with " + holders + " holders is " + (_evictable.Contains(block) ? "" : "not ") + "evictable";
            });
            problem = found;
            return found.Length == 0;
        }
    }
}
