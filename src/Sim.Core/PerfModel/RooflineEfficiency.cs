namespace Sim.Core.PerfModel
{
    /// <summary>
    /// The share of a GPU's datasheet peak that each operator class reaches. A handful of numbers per
    /// operator class, the same for every GPU, so a new GPU needs only its datasheet figures.
    /// </summary>
    public sealed class RooflineEfficiency
    {
        /// <summary>
        /// Fitted to the A100 operator profiles of Llama-2-7B, Llama-2-70B and Llama-3-8B (num_tokens 1..4096,
        /// TP 1..8) by grid search minimising the worst per-operator median error; see docs/perf-model.md.
        /// Attention has no profile there: its factors are typical FlashAttention-2 figures (about 60% of peak
        /// on A100 forward passes, 80% of bandwidth for decode).
        /// </summary>
        public static RooflineEfficiency Default { get; } = new RooflineEfficiency();

        /// <summary>GEMM kernels compute whole tiles: the token dimension is rounded up to this.</summary>
        public int GemmTileTokens { get; set; } = 128;

        public double GemmCompute { get; set; } = 0.75;

        public double GemmMemory { get; set; } = 0.85;

        /// <summary>Fixed cost of a GEMM kernel (launch and tail), seconds.</summary>
        public double GemmFloorS { get; set; } = 10e-6;

        /// <summary>RMSNorm: a reduction per token; reaches under half the bandwidth.</summary>
        public double NormMemory { get; set; } = 0.48;

        /// <summary>Rotary embedding and the gated activation.</summary>
        public double PointwiseMemory { get; set; } = 0.5;

        /// <summary>The residual add streams at nearly full bandwidth.</summary>
        public double AddMemory { get; set; } = 0.96;

        /// <summary>Fixed cost of a small kernel (norm, rope, activation, add), seconds.</summary>
        public double SmallKernelFloorS { get; set; } = 2e-6;

        public double AttentionCompute { get; set; } = 0.6;

        public double AttentionMemory { get; set; } = 0.8;

        /// <summary>Share of the link bandwidth a ring collective reaches (A100 NVLink pair: 197 of 300 GB/s).</summary>
        public double CollectiveBandwidth { get; set; } = 0.65;
    }
}
