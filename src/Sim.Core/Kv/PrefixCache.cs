using System;
using Sim.Core.Components;
using Sim.Core.Compute;
using Sim.Core.Ecs;
using Sim.Core.Snapshots;

namespace Sim.Core.Kv
{
    /// <summary>
    /// One replica's automatic prefix cache, in whole 512-token prompt blocks (the unit of prefix hashes; a block
    /// spans <see cref="PagesPerBlock"/> KV pages). A block is indexed by content key once computed, stays cached when
    /// its last request lets go, and is reused by later prompts that start the same way. Requests share a block's
    /// pages all together, so its pages always have the same holders. Unheld cached blocks are evicted by score only
    /// when a reservation finds no empty page, and move down to the host tier, then the SSD tier, when those exist.
    /// Each block's state is component data on a block entity (<see cref="PrefixBlock"/>); the content-key index and the
    /// eviction order are indexes over those blocks.
    /// </summary>
    public sealed class PrefixCache : ISnapshotState, IAwaitingScores, IDisposable
    {

        readonly KvBlockPool _pool;
        readonly World _world;
        readonly Entity[] _blocks;
        readonly KeyIndex _blockOfKey = new KeyIndex();
        readonly EvictionHeap _evictable = new EvictionHeap();
        readonly EvictionPolicy _policy;
        readonly IComputeBackend _backend;
        readonly ReusePredictor? _predictor;
        readonly double _blockBytes;
        readonly int[] _released, _groupEnds;
        // Blocks released outside the complete phase (a preemption), in entry order, with their usage at release:
        // evictable, awaiting their scores (IAwaitingScores). At most every block, so never grown.
        readonly int[] _deferred;
        readonly long[] _deferredOrder;
        readonly BlockUsage[] _deferredUsage;
        readonly double[] _deferredScores;
        readonly (ulong Key, BlockUsage Usage)[] _pulledUp;
        // Each block's entry order while it is evictable (in the eviction order or awaiting its score), else -1.
        readonly long[] _entryOf;
        int _releasedCount, _groupCount, _deferredCount, _evictableBlocks;
        // Entry order of the next block to become evictable: ties between equal scores leave in this order.
        long _nextEntry;
        // Where victims come from when a resident family orders them (the heap then holds only the blocks entered since its last listing).
        ResidentVictims? _victims;
        bool _collecting;
        double _collectedNowS;
        double _inflationScore;

        internal PrefixCache(KvBlockPool pool, World world, int replica, EvictionPolicy policy, IComputeBackend backend, double pageBytes, KvTier? host, KvTier? ssd, ReusePredictor? predictor)
        {
            if (PrefixKeys.HashBlockTokens % pool.BlockTokens != 0)
                throw new ArgumentException("prefix caching needs block_tokens to divide " + PrefixKeys.HashBlockTokens, nameof(pool));
            _pool = pool;
            _world = world;
            PagesPerBlock = PrefixKeys.HashBlockTokens / pool.BlockTokens;
            int maxBlocks = pool.TotalPages / PagesPerBlock;
            // Every block starts unused, stacked in index order (block 0 on top).
            _blocks = new Entity[maxBlocks];
            for (int b = 0; b < maxBlocks; b++)
                _blocks[b] = world.Create(new PrefixBlock { Replica = replica, Index = b, Pages = new int[PagesPerBlock], NextFree = b + 1 < maxBlocks ? b + 1 : -1 });
            pool.Header.FreeBlock = maxBlocks > 0 ? 0 : -1;
            _released = new int[maxBlocks];
            _groupEnds = new int[maxBlocks + 1];
            _deferred = new int[maxBlocks];
            _deferredOrder = new long[maxBlocks];
            _deferredUsage = new BlockUsage[maxBlocks];
            _deferredScores = new double[maxBlocks];
            _pulledUp = new (ulong, BlockUsage)[maxBlocks];
            _entryOf = new long[maxBlocks];
            _entryOf.AsSpan().Fill(-1);
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
        public int EvictablePages => _evictableBlocks * PagesPerBlock;

        /// <summary>Blocks evicted from HBM so far (each moved down a tier or dropped).</summary>
        public long Evictions { get; private set; }

        /// <summary>Steps of the resident family that listed victims (0 where the cache's own heap orders them).</summary>
        public long VictimListings => _victims?.Listings ?? 0;

        /// <summary>Of <see cref="VictimListings"/>, those made again because a step's evictions outran the list.</summary>
        public long VictimRelistings => _victims?.Relistings ?? 0;

        /// <summary>Steps whose evictions the resident family named (0 where the cache's own heap orders them).</summary>
        public long VictimSteps => _victims?.EvictingSteps ?? 0;

        /// <summary>
        /// The index and eviction order over the cached blocks, each block's entry order while evictable, and the tiers
        /// below; the blocks themselves are the world's. Where a resident family orders the victims, the heap holds only
        /// the blocks entered since its last listing, and the family's host side (the list, each block's entry inflation)
        /// follows; a restore writes every evictable block to the new family again.
        /// </summary>
        void ISnapshotState.Save(SnapshotWriter writer)
        {
            writer.Write(_victims != null);
            writer.Write(_released);
            writer.Write(_releasedCount);
            writer.Write(_deferred);
            writer.Write(_deferredOrder);
            writer.Write(_nextEntry);
            writer.Write(_deferredUsage);
            writer.Write(_deferredCount);
            writer.Write(_inflationScore);
            writer.Write(Evictions);
            writer.Write(_entryOf);
            ((ISnapshotState)_blockOfKey).Save(writer);
            ((ISnapshotState)_evictable).Save(writer);
            if (_victims != null) ((ISnapshotState)_victims).Save(writer);
            if (Host != null) ((ISnapshotState)Host).Save(writer);
            if (Ssd != null) ((ISnapshotState)Ssd).Save(writer);
            if (_predictor != null) ((ISnapshotState)_predictor).Save(writer);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            bool savedFromFamily = reader.Read<bool>();
            if (savedFromFamily != (_victims != null))
                throw new SnapshotException(savedFromFamily
                    ? "the snapshot's prefix caches took their victims from a device backend's resident blocks; restore it on a backend with resident kernels (vulkan)"
                    : "the snapshot's prefix caches ordered their own victims (cpu backend); restore it on the cpu backend");
            reader.ReadInto(_released);
            _releasedCount = reader.Read<int>();
            reader.ReadInto(_deferred);
            reader.ReadInto(_deferredOrder);
            _nextEntry = reader.Read<long>();
            reader.ReadInto(_deferredUsage);
            _deferredCount = reader.Read<int>();
            _inflationScore = reader.Read<double>();
            Evictions = reader.Read<long>();
            reader.ReadInto(_entryOf);
            ((ISnapshotState)_blockOfKey).Load(reader);
            ((ISnapshotState)_evictable).Load(reader);
            if (_victims != null) ((ISnapshotState)_victims).Load(reader);
            if (Host != null) ((ISnapshotState)Host).Load(reader);
            if (Ssd != null) ((ISnapshotState)Ssd).Load(reader);
            if (_predictor != null) ((ISnapshotState)_predictor).Load(reader);
            _evictableBlocks = 0;
            for (int b = 0; b < _entryOf.Length; b++)
            {
                if (_entryOf[b] < 0) continue;
                _evictableBlocks++;
                // An evictable block's usage is as it entered (a block is touched only once held again).
                _victims?.Restore(b, Block(b).Usage, _entryOf[b]);
            }
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
                    if (IsEvictable(block)) match.EvictableHbmBlocks++;
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
                    if (!TakeDeferred(block)) _evictable.Remove(block);
                    Leave(block);
                    ref PrefixBlock cached = ref Block(block);
                    Touch(ref cached.Usage, nowS);
                    foreach (int page in cached.Pages)
                    {
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
            ref KvPoolHeader header = ref _pool.Header;
            int block = header.FreeBlock;
            ref PrefixBlock cached = ref Block(block);
            header.FreeBlock = cached.NextFree;
            _blockOfKey.Add(key, block);
            cached.NextFree = -1;
            cached.Key = key;
            cached.Usage = usage;
            for (int p = 0; p < PagesPerBlock; p++)
            {
                int page = tablePages[firstPosition + p];
                cached.Pages[p] = page;
                _pool.Page(page).ContentKey = key;
            }
        }

        /// <summary>The last holder of a cached block's pages let go; it becomes evictable at the next <see cref="FlushReleased"/>.</summary>
        internal void Released(ulong key)
        {
            _blockOfKey.TryGetValue(key, out int block);
            _released[_releasedCount++] = block;
        }

        /// <summary>
        /// Makes the blocks released by one request evictable, deepest first so ties evict leaves before roots. In the
        /// complete phase they are collected, their usage written when scored with every replica's
        /// (Systems/ReleaseScoringSystem); elsewhere (a preemption) their usage is written now and they wait, evictable,
        /// for that same call or the next eviction, whichever comes first.
        /// </summary>
        internal void FlushReleased(double nowS)
        {
            if (_collecting)
            {
                // The request's blocks stay a group.
                if (_releasedCount > (_groupCount == 0 ? 0 : _groupEnds[_groupCount - 1])) _groupEnds[_groupCount++] = _releasedCount;
                _collectedNowS = nowS;
                return;
            }
            int count = _releasedCount;
            if (count == 0) return;
            _groupEnds[0] = count;
            _groupCount = 1;
            WriteReleasedUsage(nowS, new Span<BlockUsage>(_deferredUsage, _deferredCount, count));
            for (int i = _deferredCount; i < _deferredCount + count; i++)
            {
                _deferred[i] = _released[count - 1 - (i - _deferredCount)];
                _deferredOrder[i] = _nextEntry++;
                Enter(_deferred[i], _deferredOrder[i]);
                _victims?.Write(_deferred[i], _deferredUsage[i], _deferredOrder[i], _inflationScore);
            }
            _deferredCount += count;
            _releasedCount = _groupCount = 0;
        }

        /// <summary>Scores the deferred blocks in one call and enters them, in release order, before the order is read.</summary>
        void ScoreDeferred()
        {
            if (_deferredCount == 0) return;
            _backend.ScoreEviction(_policy, new ReadOnlySpan<BlockUsage>(_deferredUsage, 0, _deferredCount), _inflationScore, _deferredScores);
            for (int i = 0; i < _deferredCount; i++) _evictable.Push(_deferred[i], _deferredScores[i], _deferredOrder[i]);
            _deferredCount = 0;
        }

        /// <summary>
        /// From now on <paramref name="family"/> orders the victims (<see cref="ResidentVictims"/>), the cache owning it:
        /// each block's usage, entry order and entry inflation written as it becomes evictable, removed as it is held again
        /// or evicted. Only before any block is evictable.
        /// </summary>
        internal void TakeVictimsFrom(IResidentBlocks family, int firstListing = ResidentVictims.FirstListing)
        {
            if (family.Blocks < _blocks.Length) throw new ArgumentException("the resident family holds " + family.Blocks + " blocks, fewer than the cache's " + _blocks.Length, nameof(family));
            if (_evictableBlocks + _releasedCount > 0) throw new InvalidOperationException("the family takes over before any block is evictable");
            _victims = new ResidentVictims(family, firstListing);
        }

        /// <summary>Whether <paramref name="block"/> is unheld: in the eviction order or awaiting its score.</summary>
        bool IsEvictable(int block) => _entryOf[block] >= 0;

        void Enter(int block, long entryOrder)
        {
            _entryOf[block] = entryOrder;
            _evictableBlocks++;
        }

        /// <summary>An evictable block is held again or evicted (nothing where it was not evictable).</summary>
        void Leave(int block)
        {
            if (_entryOf[block] < 0) return;
            _entryOf[block] = -1;
            _evictableBlocks--;
            _victims?.Remove(block);
        }

        /// <summary>Takes <paramref name="block"/> out of the deferred ones (held again before being scored); false when it is not one.</summary>
        bool TakeDeferred(int block)
        {
            int at = Array.IndexOf(_deferred, block, 0, _deferredCount);
            if (at < 0) return false;
            _deferredCount--;
            Array.Copy(_deferred, at + 1, _deferred, at, _deferredCount - at);
            Array.Copy(_deferredOrder, at + 1, _deferredOrder, at, _deferredCount - at);
            Array.Copy(_deferredUsage, at + 1, _deferredUsage, at, _deferredCount - at);
            return true;
        }

        /// <summary>From now until <see cref="EnterScored"/> the released blocks wait, each request's a group, to be scored with other replicas'.</summary>
        internal void CollectReleased() => _collecting = true;

        /// <summary>Blocks released and not yet scored: the deferred ones, then the collected ones.</summary>
        int IAwaitingScores.AwaitingCount => _deferredCount + _releasedCount;

        /// <summary>The inflation the released blocks are scored with (the last evicted score).</summary>
        double IAwaitingScores.InflationScore => _inflationScore;

        void IAwaitingScores.WriteAwaitingUsage(Span<BlockUsage> into)
        {
            new ReadOnlySpan<BlockUsage>(_deferredUsage, 0, _deferredCount).CopyTo(into);
            WriteReleasedUsage(_collectedNowS, into.Slice(_deferredCount));
        }

        internal EvictionPolicy Policy => _policy;

        /// <summary>The backend the released blocks are scored on.</summary>
        internal IComputeBackend Backend => _backend;

        /// <summary>
        /// The released blocks' usage at release (<paramref name="nowS"/>; the predictor's bit or rank), into
        /// <paramref name="into"/> in the order they enter the evictable set: request by request, deepest block first.
        /// </summary>
        internal void WriteReleasedUsage(double nowS, Span<BlockUsage> into)
        {
            for (int g = 0, start = 0; g < _groupCount; start = _groupEnds[g++])
                for (int i = start, end = _groupEnds[g]; i < end; i++)
                {
                    ref PrefixBlock released = ref Block(_released[end - 1 - (i - start)]);
                    released.Usage.LastAccessS = nowS;
                    if (_policy == EvictionPolicy.Belady) released.Usage.NextUseRank = _predictor!.NextUseRank(released.Key, nowS);
                    else if (_predictor != null) released.Usage.PredictedReuse = _predictor.Predict(released.Key, nowS);
                    into[i] = released.Usage;
                }
        }

        /// <summary>The released blocks enter the evictable set with their scores, the deferred ones first, then the collected in <see cref="WriteReleasedUsage"/>'s order; collecting ends.</summary>
        void IAwaitingScores.EnterScored(ReadOnlySpan<double> scores)
        {
            for (int i = 0; i < _deferredCount; i++) _evictable.Push(_deferred[i], scores[i], _deferredOrder[i]);
            scores = scores.Slice(_deferredCount);
            _deferredCount = 0;
            for (int g = 0, start = 0; g < _groupCount; start = _groupEnds[g++])
                for (int i = start, end = _groupEnds[g]; i < end; i++)
                {
                    int block = _released[end - 1 - (i - start)];
                    long order = _nextEntry++;
                    _evictable.Push(block, scores[i], order);
                    Enter(block, order);
                    _victims?.Write(block, Block(block).Usage, order, _inflationScore);
                }
            _releasedCount = _groupCount = 0;
            _collecting = false;
            _victims?.EndStep(_evictable);
        }

        /// <summary>Evicts the lowest-scored unheld block, moving its content down a tier; its pages become empty.</summary>
        internal void EvictOne()
        {
            ScoreDeferred();
            int block = _victims == null ? _evictable.PopMin(out _inflationScore) : _victims.Next(_evictable, _entryOf, _nextEntry, out _inflationScore);
            Leave(block);
            Evictions++;
            ref PrefixBlock evicted = ref Block(block);
            _blockOfKey.Remove(evicted.Key);
            Demote(evicted.Key, evicted.Usage);
            _pool.ReturnBlockPages(evicted.Pages);
            ref KvPoolHeader header = ref _pool.Header;
            evicted.Key = 0;
            evicted.Usage = default;
            evicted.NextFree = header.FreeBlock;
            header.FreeBlock = block;
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

        /// <summary>Gives back the resident family's buffers, where one orders the victims.</summary>
        public void Dispose() => _victims?.Dispose();

        /// <summary>Block <paramref name="index"/>'s component, looked up through its entity.</summary>
        ref PrefixBlock Block(int index) => ref _world.Get<PrefixBlock>(_blocks[index]);

        static void Touch(ref BlockUsage usage, double nowS)
        {
            usage.LastAccessS = nowS;
            usage.AccessCount++;
        }

        /// <summary>For invariant checks: whether the index, the blocks and their pages agree.</summary>
        internal bool IndexMatchesPages(out string problem)
        {
            string found = "";
            _blockOfKey.ForEach((key, block) =>
            {
                if (found.Length > 0) return;
                ref PrefixBlock cached = ref Block(block);
                if (cached.Key != key)
                {
                    found = "cached block " + block + " holds key " + cached.Key + " but is indexed under " + key;
                    return;
                }
                int holders = _pool.Page(cached.Pages[0]).RefCount;
                for (int p = 0; p < PagesPerBlock && found.Length == 0; p++)
                {
                    ref KvPage page = ref _pool.Page(cached.Pages[p]);
                    if (page.ContentKey != key) found = "page " + page.Index + " is indexed under a key it does not hold";
                    else if (page.RefCount != holders) found = "the pages of cached block " + block + " have different holders";
                }
                if (found.Length == 0 && (holders == 0) != IsEvictable(block))
                    found = "cached block " + block + " with " + holders + " holders is " + (IsEvictable(block) ? "" : "not ") + "evictable";
            });
            problem = found;
            return found.Length == 0;
        }
    }
}
