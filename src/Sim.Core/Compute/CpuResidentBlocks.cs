using System;
using Sim.Core.Kv;

namespace Sim.Core.Compute
{
    /// <summary>The CPU reference of <see cref="IResidentBlocks"/>: every block scored, then the heap selection over the scores.</summary>
    public sealed class CpuResidentBlocks : IResidentBlocks
    {
        readonly EvictionPolicy _policy;
        readonly BlockUsage[] _usage;
        readonly double[] _scores;

        public CpuResidentBlocks(int blocks, EvictionPolicy policy)
        {
            if (blocks <= 0) throw new ArgumentOutOfRangeException(nameof(blocks), blocks, "at least one block");
            _policy = policy;
            _usage = new BlockUsage[blocks];
            _scores = new double[blocks];
        }

        public int Blocks => _usage.Length;

        public void Write(int block, in BlockUsage usage) => _usage[block] = usage;

        public void Step(double inflationScore, Span<int> lowest)
        {
            CpuBackend.Instance.ScoreEviction(_policy, _usage, inflationScore, _scores);
            CpuBackend.Instance.SelectLowest((ReadOnlySpan<double>)_scores, lowest);
        }

        public void Dispose()
        {
        }
    }
}
