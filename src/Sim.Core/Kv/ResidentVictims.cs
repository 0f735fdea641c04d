using System;
using Sim.Core.Compute;
using Sim.Core.Snapshots;

namespace Sim.Core.Kv
{
    /// <summary>
    /// A prefix cache's victims taken from a resident block family (<see cref="IResidentBlocks"/>: every evictable block's
    /// usage, entry order and entry inflation on the backend), as the cache's own eviction order would name them. One
    /// family step lists the k lowest evictable blocks by (score, entry order) with their scores; the step's evictions
    /// then take them in order, skipping any no longer evictable as listed (held again, or evicted and entered anew), and
    /// compare each with the lowest block that entered since the listing (the cache's heap, which then holds only
    /// those). A list exhausted before the step's evictions end is made again, twice as long, unless it held every
    /// evictable block. The lowest of (first still listed, lowest entered since) is the lowest of all: the listed ones
    /// are the lowest of the blocks evictable at the listing, and every other block is one of those or entered since.
    /// </summary>
    internal sealed class ResidentVictims : ISnapshotState, IDisposable
    {
        /// <summary>The first list's length: doubled each time a step's evictions outrun a list.</summary>
        internal const int FirstListing = 16;

        readonly IResidentBlocks _family;
        // Each block's entry inflation as last written: the one column of the family the cache keeps nowhere else, so a
        // restored run can write its evictable blocks to a new family without reading the device.
        readonly double[] _entryInflationOf;
        int[] _listed;
        double[] _listedScores;
        int _wanted, _count, _next;
        // Blocks with an entry order below this were evictable at the listing, and are still listed where unchanged.
        long _listedBefore;
        bool _current, _coversAll, _evictedThisStep;

        /// <param name="firstListing">The first list's length (tests make it short, to make lists run out).</param>
        public ResidentVictims(IResidentBlocks family, int firstListing = FirstListing)
        {
            if (firstListing < 1) throw new ArgumentOutOfRangeException(nameof(firstListing), firstListing, "at least one");
            _family = family;
            _wanted = firstListing;
            _listed = new int[firstListing];
            _listedScores = new double[firstListing];
            _entryInflationOf = new double[family.Blocks];
        }

        public int Blocks => _family.Blocks;

        /// <summary>Family steps made (each one listing).</summary>
        public long Listings { get; private set; }

        /// <summary>Listings made again, twice as long, because a step's evictions outran the list.</summary>
        public long Relistings { get; private set; }

        /// <summary>Steps (ended by <see cref="EndStep"/>) that evicted: each lists at most once, but for lists made again.</summary>
        public long EvictingSteps { get; private set; }

        /// <summary>A block becomes evictable with this usage, entry order and the cache's inflation as it enters.</summary>
        public void Write(int block, in BlockUsage usage, long entryOrder, double entryInflationScore)
        {
            _entryInflationOf[block] = entryInflationScore;
            _family.Write(block, usage, ResidentOrder(entryOrder), entryInflationScore);
        }

        /// <summary>
        /// After <see cref="ISnapshotState.Load"/>: writes an evictable block to the (new, empty) family again, with the
        /// usage and entry order the cache restored and the entry inflation the snapshot kept. The family's scores and
        /// search columns are made afresh by each step, so its written columns are all it needs.
        /// </summary>
        public void Restore(int block, in BlockUsage usage, long entryOrder) =>
            _family.Write(block, usage, ResidentOrder(entryOrder), _entryInflationOf[block]);

        /// <summary>A block is held again or evicted.</summary>
        public void Remove(int block) => _family.Remove(block);

        /// <summary>
        /// The step's releases have entered: where any block entered since the listing (<paramref name="entered"/>, the
        /// cache's heap, holds them), the next eviction lists afresh, so that heap stays one step's. A list no block has
        /// entered beside stays: it still names the lowest blocks.
        /// </summary>
        public void EndStep(EvictionHeap entered)
        {
            if (entered.Count > 0) _current = false;
            if (_evictedThisStep) EvictingSteps++;
            _evictedThisStep = false;
        }

        /// <summary>
        /// The next victim and its score. <paramref name="entered"/>: the cache's blocks evictable that entered since the
        /// last listing (emptied by a listing, the family then holding them); <paramref name="entryOf"/>: each block's entry
        /// order, -1 where not evictable; <paramref name="nextEntry"/>: the entry order the next block will take.
        /// </summary>
        public int Next(EvictionHeap entered, long[] entryOf, long nextEntry, out double score)
        {
            _evictedThisStep = true;
            while (true)
            {
                if (!_current) List(entered, nextEntry);
                while (_next < _count && !StillListed(entryOf[_listed[_next]])) _next++;
                if (_next < _count)
                {
                    int block = _listed[_next];
                    double listedScore = _listedScores[_next];
                    if (entered.TryPeekMin(out _, out double enteredScore, out long enteredOrder)
                        && (enteredScore < listedScore || (enteredScore == listedScore && enteredOrder < entryOf[block])))
                        return entered.PopMin(out score);
                    _next++;
                    score = listedScore;
                    return block;
                }
                if (_coversAll) return entered.PopMin(out score);
                _wanted = (int)Math.Min(2L * _wanted, _family.Blocks);
                _current = false;
                Relistings++;
            }
        }

        bool StillListed(long entryOrder) => entryOrder >= 0 && entryOrder < _listedBefore;

        void List(EvictionHeap entered, long nextEntry)
        {
            int k = Math.Min(_wanted, _family.Evictable);
            if (_listed.Length < k)
            {
                _listed = new int[_wanted];
                _listedScores = new double[_wanted];
            }
            _family.Step(new Span<int>(_listed, 0, k), new Span<double>(_listedScores, 0, k));
            _count = k;
            _next = 0;
            _coversAll = k == _family.Evictable;
            _listedBefore = nextEntry;
            entered.Clear();
            _current = true;
            Listings++;
        }

        /// <summary>
        /// The list as the host holds it (the listed blocks and their scores, where the step's evictions are in it, whether
        /// it is still current), the counters and each block's entry inflation; the family's columns are not read back but
        /// written again from the cache's restored blocks (<see cref="Restore"/>).
        /// </summary>
        void ISnapshotState.Save(SnapshotWriter writer)
        {
            writer.Write(_listed, _count);
            writer.Write(_listedScores, _count);
            writer.Write(_wanted);
            writer.Write(_next);
            writer.Write(_listedBefore);
            writer.Write(_current);
            writer.Write(_coversAll);
            writer.Write(_evictedThisStep);
            writer.Write(Listings);
            writer.Write(Relistings);
            writer.Write(EvictingSteps);
            writer.Write(_entryInflationOf);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            int[] listed = reader.Read<int[]>();
            double[] listedScores = reader.Read<double[]>();
            _wanted = reader.Read<int>();
            if (listed.Length != listedScores.Length || listed.Length > _wanted || _wanted > _family.Blocks)
                throw new SnapshotException("a saved victim list of " + listed.Length + " blocks does not fit a family of " + _family.Blocks + ": another scene");
            _listed = new int[_wanted];
            _listedScores = new double[_wanted];
            listed.CopyTo(_listed, 0);
            listedScores.CopyTo(_listedScores, 0);
            _count = listed.Length;
            _next = reader.Read<int>();
            _listedBefore = reader.Read<long>();
            _current = reader.Read<bool>();
            _coversAll = reader.Read<bool>();
            _evictedThisStep = reader.Read<bool>();
            Listings = reader.Read<long>();
            Relistings = reader.Read<long>();
            EvictingSteps = reader.Read<long>();
            reader.ReadInto(_entryInflationOf);
        }

        /// <summary>The entry order as the family's 32-bit column holds it.</summary>
        static uint ResidentOrder(long order) =>
            order < uint.MaxValue ? (uint)order : throw new InvalidOperationException("more than 2^32 - 1 blocks entered the evictable set");

        public void Dispose() => _family.Dispose();
    }
}
