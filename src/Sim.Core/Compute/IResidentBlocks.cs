using System;
using Sim.Core.Kv;

namespace Sim.Core.Compute
{
    /// <summary>
    /// A prefix cache's evictable blocks as resident columns, usage, entry order and entry inflation, scored and
    /// searched for victims once a step. The victims' order is the prefix cache's eviction order: by score (each block's
    /// with the inflation it entered with, as the cache scores it once as it enters), ties in entry order.
    /// </summary>
    public interface IResidentBlocks : IDisposable
    {
        int Blocks { get; }

        /// <summary>Blocks currently evictable (written and not removed since).</summary>
        int Evictable { get; }

        /// <summary>
        /// Makes <paramref name="block"/> evictable with this usage; <paramref name="entryOrder"/> (distinct among the
        /// evictable blocks, below <see cref="uint.MaxValue"/>) breaks ties between equal scores, lower first. Only the
        /// changed blocks travel to the device. <paramref name="entryInflationScore"/>: the cache's inflation (its last
        /// evicted score) as the block entered, which size-aware scores add.
        /// </summary>
        void Write(int block, in BlockUsage usage, uint entryOrder, double entryInflationScore);

        /// <summary>Takes <paramref name="block"/> out of the evictable ones (held again, or evicted): never a victim until written again.</summary>
        void Remove(int block);

        /// <summary>
        /// Scores every evictable block (as <see cref="IComputeBackend.ScoreEviction"/> with its entry inflation) and puts the
        /// <paramref name="lowest"/>.Length lowest by (score, entry order), ascending, into <paramref name="lowest"/>: the
        /// next victims. At most <see cref="Evictable"/> of them. <paramref name="lowestScores"/> (as long, or empty) gets
        /// their scores, -0 read as +0 (the order holds them equal): an eviction sets the cache's inflation to its victim's.
        /// </summary>
        void Step(Span<int> lowest, Span<double> lowestScores);
    }
}
