using Sim.Core.Kv;

namespace Sim.Core.Compute
{
    /// <summary>The reference of <see cref="IResidentKernels"/>: the columns are host arrays and each step is the CPU kernels in plain loops.</summary>
    public sealed class CpuResidentKernels : IResidentKernels
    {
        public string Name => "cpu";

        public IResidentAttention Attention(int positions) => new CpuResidentAttention(positions);

        public IResidentGate Gate(int maxTokens, int maxSegments, int experts, int topK) => new CpuResidentGate(maxTokens, maxSegments, experts, topK);

        public IResidentBlocks Blocks(int blocks, EvictionPolicy policy) => new CpuResidentBlocks(blocks, policy);

        public void Dispose()
        {
        }
    }
}
