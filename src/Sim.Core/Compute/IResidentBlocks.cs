using System;
using Sim.Core.Kv;

namespace Sim.Core.Compute
{
    /// <summary>A prefix cache's block usage as a resident column: scored and searched for victims once a step.</summary>
    public interface IResidentBlocks : IDisposable
    {
        int Blocks { get; }

        /// <summary>Sets one block's usage (a hit, a new block); only the changed blocks travel to the device.</summary>
        void Write(int block, in BlockUsage usage);

        /// <summary>
        /// Scores every block (as <see cref="IComputeBackend.ScoreEviction"/>) and puts the <paramref name="lowest"/>.Length
        /// lowest-scored, ties to the lower block, in ascending order into <paramref name="lowest"/>: the next victims.
        /// </summary>
        void Step(double inflationScore, Span<int> lowest);
    }
}
