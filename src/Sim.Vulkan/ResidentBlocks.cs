using System;
using System.Runtime.InteropServices;
using Sim.Core.Compute;
using Sim.Core.Kv;
using CommandBuffer = Silk.NET.Vulkan.CommandBuffer;

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
            public uint K;
            public uint SortAtMost;
        }

        /// <summary>select_radix.comp's modes: a digit's counting pass, the listing, and the pick of a digit (one invocation).</summary>
        const uint CountMode = 0, ListMode = 1, PickMode = 2;

        /// <summary>Words of select_radix.comp's state: the listed count, the prefix and its mask (three words each), the k-th pair's rank, done.</summary>
        const int StateWords = 9, NeedWord = 7, DoneWord = 8;

        /// <summary>8-bit digits of a (score, entry order) pair: the score's two sortable words, then the entry order.</summary>
        const uint Digits = 12;

        /// <summary>
        /// The radix passes stop once at most this many pairs (or twice k) lie at or below the prefix: those are listed and
        /// sorted, and the first k taken. A run of equal scores (blocks released together under LRU) otherwise takes a
        /// counting pass for every digit down to the entry orders'.
        /// </summary>
        const int SortAtMost = 512;

        /// <summary>Workgroups a counting pass takes (each thread strides over the keys): few enough that merging their counts stays cheap.</summary>
        const int MaxGroups = 1024;

        static readonly uint[] NoCounts = new uint[256];

        /// <summary>The search's state as a step starts, but for the rank wanted (k).</summary>
        readonly uint[] _startState = new uint[StateWords];

        readonly VulkanContext _context;
        readonly TimeSpan _timeout;
        readonly EvictionPolicy _policy;
        readonly ResidentBlockKernels? _kernels;
        readonly bool _ownsKernels;
        readonly ComputeKernel _score, _radix, _sort;
        readonly ComputeBuffer _usage, _entryOrders, _entryInflations, _scores, _histogram, _state;
        // The entry orders as written, so that the evictable count is known without reading the device.
        readonly uint[] _entryOrderOf;
        ComputeBuffer? _selected, _sortKeys, _order;
        // The victims' sort keys as read back (their scores' words), grown to the largest step's.
        uint[]? _keyWords;
        // Digits the last listing's search took: this one lists from there on, in the same submission as the digit's pass.
        uint _lastDigits = 1;

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
                _state = new ComputeBuffer(context, StateWords, sizeof(uint));
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
            // At most this many pairs are listed: the search stops at or below it, or at the last digit with exactly k.
            int sortAtMost = Math.Max(2 * k, SortAtMost), padded = SelectKernel.PowerOfTwoAtLeast(sortAtMost);
            _selected = ComputeBuffer.GrownToFit(_selected, _context, sortAtMost, sizeof(int));
            _sortKeys = ComputeBuffer.GrownToFit(_sortKeys, _context, padded * 3, sizeof(uint));
            _order = ComputeBuffer.GrownToFit(_order, _context, padded, sizeof(int));
            _score.Bind([_usage, _scores, _entryInflations]);
            _radix.Bind([_scores, _histogram, _selected, _state, _entryOrders]);
            _sort.Bind([_scores, _sortKeys, _order, _selected, _entryOrders, _state]);
            _histogram.WriteAt<uint>(0, NoCounts);
            _startState[NeedWord] = (uint)k;
            _state.WriteAt<uint>(0, _startState);
            var search = new Arguments { Count = (uint)Blocks, K = (uint)k, SortAtMost = (uint)sortAtMost };
            (uint, uint) groups = ((uint)Math.Min(MaxGroups, (Blocks + ComputeKernel.LocalSize - 1) / ComputeKernel.LocalSize), 1);
            bool scored = lowestScores.Length != 0;
            // A submission a digit: its counting pass and pick (the device picks the digit holding the k-th pair and marks the
            // search done once the pairs at or below the prefix are few enough), then, from the digit the last listing
            // finished at, the listing and the sort of what it lists, which return at once while the search goes on. The
            // first also scores every block. A listing whose digits are as many as the last one's (most: one digit where
            // scores spread, more where they tie) is as many submissions, where the host's picks took one more.
            for (uint digit = 0, done = 0; done == 0; digit++)
            {
                bool listing = digit + 1 >= _lastDigits;
                CommandBuffer commands = StepSubmission.Begin(_context, [_usage, _entryOrders, _entryInflations, _histogram, _state]);
                if (digit == 0) _score.Record(commands, new EvictionScoreKernel.Arguments { Count = (uint)Blocks, Policy = (uint)_policy }, _score.GroupsFor(Blocks));
                search.Digit = digit;
                search.Mode = CountMode;
                _radix.Record(commands, search, groups);
                search.Mode = PickMode;
                _radix.Record(commands, search, (1u, 1u));
                if (listing) RecordListing(commands, search, groups, sortAtMost, padded);
                StepSubmission.End(_context, commands, [(_state, DoneWord, 1), (_order, 0, listing ? k : 0), (_sortKeys, 0, listing && scored ? 3 * k : 0)], _timeout);
                _state.ReadAt(DoneWord, new Span<uint>(ref done));
                if (done == 0) continue;
                _lastDigits = digit + 1;
                if (listing) break;
                // Done sooner than the last listing: the listing alone.
                commands = StepSubmission.Begin(_context, []);
                RecordListing(commands, search, groups, sortAtMost, padded);
                StepSubmission.End(_context, commands, [(_order, 0, k), (_sortKeys, 0, scored ? 3 * k : 0)], _timeout);
            }
            _order.ReadAt(0, lowest);
            if (!scored) return;
            // The sorted keys lead with each victim's score as two sortable words: only those come back, and turn back into doubles.
            if (_keyWords == null || _keyWords.Length < 3 * k) _keyWords = new uint[3 * SelectKernel.PowerOfTwoAtLeast(k)];
            _sortKeys.ReadAt<uint>(0, new Span<uint>(_keyWords, 0, 3 * k));
            for (int i = 0; i < k; i++) lowestScores[i] = FromSortable(_keyWords[3 * i], _keyWords[3 * i + 1]);
        }

        /// <summary>Records the listing of the pairs at or below the prefix found, and the sort of them (select_lowest_gather: one workgroup).</summary>
        void RecordListing(CommandBuffer commands, Arguments search, (uint, uint) groups, int sortAtMost, int padded)
        {
            search.Mode = ListMode;
            _radix.Record(commands, search, groups);
            _sort.Record(commands, new SelectKernel.Arguments { Count = (uint)sortAtMost, Padded = (uint)padded }, (1u, 1u));
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

        public void Dispose()
        {
            if (_ownsKernels) _kernels?.Dispose();
            _usage?.Dispose();
            _entryOrders?.Dispose();
            _entryInflations?.Dispose();
            _scores?.Dispose();
            _histogram?.Dispose();
            _state?.Dispose();
            _selected?.Dispose();
            _sortKeys?.Dispose();
            _order?.Dispose();
        }
    }
}
