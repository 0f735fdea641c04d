using System;
using CommandBuffer = Silk.NET.Vulkan.CommandBuffer;
using System.Runtime.InteropServices;
using Sim.Core.Compute;
using Sim.Core.Kv;

namespace Sim.Vulkan
{
    /// <summary>
    /// A prefix cache's usage and entry-order columns on the device, the twin of <see cref="CpuResidentBlocks"/>: changed
    /// blocks go up, shaders/evict_score.comp scores every block, select_radix.comp finds the k lowest evictable (score,
    /// entry order) pairs a digit at a time and lists them, and select_lowest's gather build sorts only those; only the
    /// victims' indices come back.
    /// </summary>
    public sealed class ResidentBlocks : IResidentBlocks
    {
        [StructLayout(LayoutKind.Sequential)]
        internal struct Arguments
        {
            public uint Count;
            public uint Digit;
            public uint Mode;
            public uint Prefix0, Prefix1, Prefix2;
            public uint Mask0, Mask1, Mask2;
        }

        /// <summary>8-bit digits of a (score, entry order) pair: the score's two sortable words, then the entry order.</summary>
        const int Digits = 12;

        /// <summary>
        /// The radix passes stop once at most this many pairs (or twice k) lie at or below the prefix: those are listed and
        /// sorted, and the first k taken. A run of equal scores (blocks released together under LRU) otherwise costs a
        /// counting pass for every digit down to the entry orders', each one submission and wait.
        /// </summary>
        const int SortAtMost = 512;

        /// <summary>Workgroups a counting pass takes (each thread strides over the keys): few enough that merging their counts stays cheap.</summary>
        const int MaxGroups = 1024;

        static readonly uint[] NoCounts = new uint[256];

        readonly VulkanContext _context;
        readonly TimeSpan _timeout;
        readonly EvictionPolicy _policy;
        readonly ResidentBlockKernels? _kernels;
        readonly bool _ownsKernels;
        readonly ComputeKernel _score, _radix, _sort;
        readonly ComputeBuffer _usage, _entryOrders, _entryInflations, _scores, _histogram, _listed;
        readonly uint[] _counts = new uint[256];
        // The entry orders as written, so that the evictable count is known without reading the device.
        readonly uint[] _entryOrderOf;
        ComputeBuffer? _selected, _sortKeys, _order;
        // The victims' sort keys as read back (their scores' words), grown to the largest step's.
        uint[]? _keyWords;
        // The sort's steps, rewritten by each listing.
        (SelectKernel.Arguments, (uint, uint))[]? _sortSteps;

        /// <summary>A family with pipelines of its own.</summary>
        public ResidentBlocks(VulkanContext context, int blocks, EvictionPolicy policy, TimeSpan timeout) : this(context, blocks, policy, timeout, null)
        {
        }

        /// <param name="kernels">Pipelines shared with the context's other families (not disposed with this one); null to build its own.</param>
        internal ResidentBlocks(VulkanContext context, int blocks, EvictionPolicy policy, TimeSpan timeout, ResidentBlockKernels? kernels)
        {
            if (blocks <= 0 || blocks > SelectKernel.MaxKeys) throw new ArgumentOutOfRangeException(nameof(blocks), blocks, "from 1 to " + SelectKernel.MaxKeys + " blocks");
            if (!context.HasFloat64) throw new NotSupportedException(context.DeviceInfo + " has no double-precision shaders, which eviction scores need");
            _context = context;
            _timeout = timeout;
            _policy = policy;
            Blocks = blocks;
            try
            {
                _ownsKernels = kernels == null;
                _kernels = kernels ?? new ResidentBlockKernels(context);
                _score = _kernels.Score;
                _radix = _kernels.Radix;
                _sort = _kernels.Sort;
                _usage = new ComputeBuffer(context, blocks, Marshal.SizeOf<BlockUsage>());
                _entryOrders = new ComputeBuffer(context, blocks, sizeof(uint));
                _entryInflations = new ComputeBuffer(context, blocks, sizeof(double));
                _entryInflations.WriteAt<double>(0, new double[blocks]);
                _scores = new ComputeBuffer(context, blocks, sizeof(double));
                _histogram = new ComputeBuffer(context, 256, sizeof(uint));
                _listed = new ComputeBuffer(context, 1, sizeof(uint));
                _usage.WriteAt<BlockUsage>(0, new BlockUsage[blocks]);
                _entryOrderOf = new uint[blocks];
                _entryOrderOf.AsSpan().Fill(CpuResidentBlocks.Absent);
                _entryOrders.WriteAt<uint>(0, _entryOrderOf);
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public int Blocks { get; }

        public int Evictable { get; private set; }

        public void Write(int block, in BlockUsage usage, uint entryOrder, double entryInflationScore)
        {
            if (entryOrder == CpuResidentBlocks.Absent) throw new ArgumentOutOfRangeException(nameof(entryOrder), entryOrder, "below uint.MaxValue");
            _usage.WriteAt(block, new ReadOnlySpan<BlockUsage>(in usage));
            _entryInflations.WriteAt(block, new ReadOnlySpan<double>(in entryInflationScore));
            SetEntryOrder(block, entryOrder);
        }

        public void Remove(int block)
        {
            if (_entryOrderOf[block] != CpuResidentBlocks.Absent) SetEntryOrder(block, CpuResidentBlocks.Absent);
        }

        void SetEntryOrder(int block, uint entryOrder)
        {
            bool wasEvictable = _entryOrderOf[block] != CpuResidentBlocks.Absent, isEvictable = entryOrder != CpuResidentBlocks.Absent;
            Evictable += (isEvictable ? 1 : 0) - (wasEvictable ? 1 : 0);
            _entryOrderOf[block] = entryOrder;
            _entryOrders.WriteAt(block, new ReadOnlySpan<uint>(in _entryOrderOf[block]));
        }

        public void Step(Span<int> lowest, Span<double> lowestScores)
        {
            int k = lowest.Length;
            if (k > Evictable) throw new ArgumentException("cannot select " + k + " of " + Evictable + " evictable blocks", nameof(lowest));
            if (lowestScores.Length != 0 && lowestScores.Length != k) throw new ArgumentException("a score for each of the " + k + " victims, or none", nameof(lowestScores));
            if (k == 0) return;
            // Pairs at or below the prefix found so far: listed and sorted once few enough.
            int listedCount = Evictable, sortAtMost = Math.Max(2 * k, SortAtMost);
            _selected = ComputeBuffer.GrownToFit(_selected, _context, k, sizeof(int));
            _score.Bind([_usage, _scores, _entryInflations]);
            _radix.Bind([_scores, _histogram, _selected, _listed, _entryOrders]);
            (uint, uint) groups = ((uint)Math.Min(MaxGroups, (Blocks + ComputeKernel.LocalSize - 1) / ComputeKernel.LocalSize), 1);
            // The k-th lowest pair, a digit at a time: `need` is its rank among the pairs sharing the prefix found so far.
            var prefix = new Arguments { Count = (uint)Blocks };
            int need = k;
            for (int digit = 0; digit < Digits; digit++)
            {
                _histogram.WriteAt<uint>(0, NoCounts);
                Arguments counting = prefix;
                counting.Digit = (uint)digit;
                counting.Mode = 0;
                CommandBuffer commands = StepSubmission.Begin(_context, [_usage, _entryOrders, _entryInflations, _histogram, _listed]);
                if (digit == 0) _score.Record(commands, new EvictionScoreKernel.Arguments { Count = (uint)Blocks, Policy = (uint)_policy }, _score.GroupsFor(Blocks));
                _radix.Record(commands, counting, groups);
                StepSubmission.End(_context, commands, [(_histogram, 0, 256)], _timeout);
                _histogram.ReadAt<uint>(0, _counts);
                int bin = 0;
                for (; _counts[bin] < need; bin++) need -= (int)_counts[bin];
                Extend(ref prefix, digit, (uint)bin);
                // The pairs at or below the prefix: the k - need below it and those sharing it. Exactly k: every one is among
                // the k lowest; few enough: the sort takes the k lowest of them.
                listedCount = k - need + (int)_counts[bin];
                if (listedCount <= sortAtMost) break;
            }
            int padded = SelectKernel.PowerOfTwoAtLeast(listedCount);
            _selected = ComputeBuffer.GrownToFit(_selected, _context, listedCount, sizeof(int));
            _sortKeys = ComputeBuffer.GrownToFit(_sortKeys, _context, padded * 3, sizeof(uint));
            _order = ComputeBuffer.GrownToFit(_order, _context, padded, sizeof(int));
            _radix.Bind([_scores, _histogram, _selected, _listed, _entryOrders]);
            _sort.Bind([_scores, _sortKeys, _order, _selected, _entryOrders]);
            uint noneListed = 0;
            _listed.WriteAt(0, new ReadOnlySpan<uint>(in noneListed));
            Arguments listing = prefix;
            listing.Mode = 1;
            bool scored = lowestScores.Length != 0;
            CommandBuffer listingCommands = StepSubmission.Begin(_context, [_usage, _entryOrders, _entryInflations, _histogram, _listed]);
            _radix.Record(listingCommands, listing, groups);
            _sort.Record(listingCommands, SelectKernel.Steps(_sort, listedCount, padded, ref _sortSteps));
            // The victims' sort keys come back only where their scores are asked for (a range of none is no copy).
            StepSubmission.End(_context, listingCommands, [(_order, 0, k), (_sortKeys, 0, scored ? 3 * k : 0)], _timeout);
            _order.ReadAt(0, lowest);
            if (!scored) return;
            // The sorted keys lead with each victim's score as two sortable words: only those come back, and turn back into doubles.
            if (_keyWords == null || _keyWords.Length < 3 * k) _keyWords = new uint[3 * SelectKernel.PowerOfTwoAtLeast(k)];
            _sortKeys.ReadAt<uint>(0, new Span<uint>(_keyWords, 0, 3 * k));
            for (int i = 0; i < k; i++) lowestScores[i] = FromSortable(_keyWords[3 * i], _keyWords[3 * i + 1]);
        }

        /// <summary>
        /// The double whose sortable words (shaders/sortable.glsl: the sign bit of a positive flipped, every bit of a
        /// negative) are these; -0 was made +0 there.
        /// </summary>
        internal static double FromSortable(uint high, uint low)
        {
            ulong bits = ((ulong)high << 32) | low;
            bits = (bits & 0x8000_0000_0000_0000UL) != 0 ? bits & 0x7FFF_FFFF_FFFF_FFFFUL : ~bits;
            return BitConverter.Int64BitsToDouble((long)bits);
        }

        /// <summary>Adds <paramref name="bin"/> as digit <paramref name="digit"/> (most significant first) to the prefix and its mask.</summary>
        static void Extend(ref Arguments prefix, int digit, uint bin)
        {
            int shift = 24 - 8 * (digit % 4);
            switch (digit / 4)
            {
                case 0: prefix.Prefix0 |= bin << shift; prefix.Mask0 |= 0xFFu << shift; break;
                case 1: prefix.Prefix1 |= bin << shift; prefix.Mask1 |= 0xFFu << shift; break;
                default: prefix.Prefix2 |= bin << shift; prefix.Mask2 |= 0xFFu << shift; break;
            }
        }

        public void Dispose()
        {
            if (_ownsKernels) _kernels?.Dispose();
            _usage?.Dispose();
            _entryOrders?.Dispose();
            _entryInflations?.Dispose();
            _scores?.Dispose();
            _histogram?.Dispose();
            _listed?.Dispose();
            _selected?.Dispose();
            _sortKeys?.Dispose();
            _order?.Dispose();
        }
    }
}
