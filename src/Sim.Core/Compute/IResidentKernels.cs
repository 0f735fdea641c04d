using System;
using Sim.Core.Kv;

namespace Sim.Core.Compute
{
    /// <summary>
    /// Kernel families run once a step over columns that stay where the backend keeps them (device memory on a GPU):
    /// each column is written only where it changed, each family is one dispatch over every sequence, token or block of
    /// every replica, and only what the scheduler acts on comes back. <see cref="CpuResidentKernels"/> is the reference;
    /// a device twin gives its bits (parity-tested).
    /// </summary>
    public interface IResidentKernels : IDisposable
    {
        string Name { get; }

        /// <summary>Key and score columns for <paramref name="positions"/> tokens (all sequences of all replicas), zeroed.</summary>
        IResidentAttention Attention(int positions);

        /// <summary>The MoE gate for up to <paramref name="maxTokens"/> tokens in <paramref name="maxSegments"/> segments a step.</summary>
        IResidentGate Gate(int maxTokens, int maxSegments, int experts, int topK);

        /// <summary>The usage column of a prefix cache of <paramref name="blocks"/> blocks, zeroed, scored by <paramref name="policy"/>.</summary>
        IResidentBlocks Blocks(int blocks, EvictionPolicy policy);
    }
}
