using System;
using System.Runtime.InteropServices;
using Sim.Core.Compute;
using Sim.Core.Kv;

namespace Sim.Vulkan
{
    /// <summary>
    /// A prefix cache's usage column on the device, the twin of <see cref="CpuResidentBlocks"/>: changed blocks go up,
    /// shaders/evict_score.comp scores every block and select_lowest's double build sorts the scores, in one
    /// submission; only the victims' indices come back.
    /// </summary>
    public sealed class ResidentBlocks : IResidentBlocks
    {
        readonly VulkanContext _context;
        readonly TimeSpan _timeout;
        readonly EvictionPolicy _policy;
        readonly int _padded;
        readonly ComputeKernel _score, _select;
        readonly ComputeBuffer _usage, _scores, _sortKeys, _order;

        public ResidentBlocks(VulkanContext context, int blocks, EvictionPolicy policy, TimeSpan timeout)
        {
            if (blocks <= 0 || blocks > SelectKernel.MaxKeys) throw new ArgumentOutOfRangeException(nameof(blocks), blocks, "from 1 to " + SelectKernel.MaxKeys + " blocks");
            if (!context.HasFloat64) throw new NotSupportedException(context.DeviceInfo + " has no double-precision shaders, which eviction scores need");
            _context = context;
            _timeout = timeout;
            _policy = policy;
            Blocks = blocks;
            _padded = SelectKernel.PowerOfTwoAtLeast(blocks);
            try
            {
                _score = new ComputeKernel(context, "evict_score", bufferCount: 2, Marshal.SizeOf<EvictionScoreKernel.Arguments>());
                _select = new ComputeKernel(context, "select_lowest_double", bufferCount: 3, Marshal.SizeOf<SelectKernel.Arguments>());
                _usage = new ComputeBuffer(context, blocks, Marshal.SizeOf<BlockUsage>());
                _scores = new ComputeBuffer(context, blocks, sizeof(double));
                _sortKeys = new ComputeBuffer(context, _padded * 2, sizeof(uint));
                _order = new ComputeBuffer(context, _padded, sizeof(int));
                _usage.WriteAt<BlockUsage>(0, new BlockUsage[blocks]);
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public int Blocks { get; }

        public void Write(int block, in BlockUsage usage) => _usage.WriteAt(block, new ReadOnlySpan<BlockUsage>(in usage));

        public void Step(double inflationScore, Span<int> lowest)
        {
            int k = lowest.Length;
            if (k > Blocks) throw new ArgumentException("cannot select " + k + " of " + Blocks, nameof(lowest));
            _score.Bind(new[] { _usage, _scores });
            _select.Bind(new[] { _scores, _sortKeys, _order });
            var score = new[] { (new EvictionScoreKernel.Arguments { Count = (uint)Blocks, Policy = (uint)_policy, InflationScore = inflationScore }, _score.GroupsFor(Blocks)) };
            var select = SelectKernel.Steps(_select, Blocks, _padded);
            StepSubmission.Run(_context, new[] { _usage }, commands =>
            {
                _score.Record(commands, score);
                _select.Record(commands, select);
            }, new[] { (_order, 0, k) }, _timeout);
            _order.ReadAt(0, lowest);
        }

        public void Dispose()
        {
            _score?.Dispose();
            _select?.Dispose();
            _usage?.Dispose();
            _scores?.Dispose();
            _sortKeys?.Dispose();
            _order?.Dispose();
        }
    }
}
