namespace Sim.Core.PerfModel
{
    /// <summary>
    /// The share of a GPU's datasheet peak that each operator class reaches. A handful of numbers per
    /// operator class, the same for every GPU, so a new GPU needs only its datasheet figures.
    /// </summary>
    public sealed class RooflineEfficiency
    {
        /// <summary>
        /// GEMM and small-kernel factors: fitted to the Vidur A100 80GB operator profiles of Llama-2-7B, Llama-2-70B and
        /// Llama-3-8B (num_tokens 1..4096, TP 1, 2, 4, 8) by a grid search minimising the worst per-operator median
        /// relative error (ties broken by the mean p90); collective bandwidth fitted to the two-GPU NVLink all-reduce
        /// profile. Attention has no profile there: its factors are the FlashAttention-2 paper's figures for A100
        /// forward passes (50–73% of peak) and a typical decode kernel's share of bandwidth. docs/perf-model.md has
        /// the search, the errors reached and why each factor exists.
        /// </summary>
        public static RooflineEfficiency Default { get; } = new RooflineEfficiency();

        /// <summary>GEMM kernels compute whole tiles of the token dimension: 136 tokens cost what 256 do (visible in the profiles).</summary>
        public int GemmTileTokens { get; set; } = 128;

        /// <summary>Share of tensor-core peak a large fp16 GEMM sustains (A100: 220–240 of 312 TFLOPS).</summary>
        public double GemmCompute { get; set; } = 0.73;

        /// <summary>Share of memory bandwidth a weight-streaming (small-batch) GEMM sustains.</summary>
        public double GemmMemory { get; set; } = 0.79;

        /// <summary>Fixed cost of a GEMM kernel (launch, prologue, tail), seconds: dominates once TP shrinks the weights to a few MB.</summary>
        public double GemmFloorS { get; set; } = 7e-6;

        /// <summary>RMSNorm: a reduction per token with a second pass over the row; reaches well under half the bandwidth.</summary>
        public double NormMemory { get; set; } = 0.39;

        /// <summary>Rotary embedding and the gated activation: strided, mixed-precision elementwise kernels.</summary>
        public double PointwiseMemory { get; set; } = 0.46;

        /// <summary>The residual add streams at full bandwidth (small tensors even beat it from L2, large ones fall a little short).</summary>
        public double AddMemory { get; set; } = 1.0;

        /// <summary>Fixed cost of a small kernel (norm, rope, activation, add), seconds.</summary>
        public double SmallKernelFloorS { get; set; } = 1.5e-6;

        /// <summary>Prefill attention (FlashAttention-2 forward) share of tensor-core peak (also the compute bound of decode attention).</summary>
        public double AttentionCompute { get; set; } = 0.6;

        /// <summary>Decode attention share of memory bandwidth while reading the KV cache (also the memory bound of prefill attention).</summary>
        public double AttentionMemory { get; set; } = 0.8;

        /// <summary>Fixed cost of a prefill attention call, seconds.</summary>
        public double AttentionPrefillFloorS { get; set; } = 7e-6;

        /// <summary>Added cost per prefill chunk in the call (its own tiles' set-up and tail), seconds.</summary>
        public double AttentionPrefillPerSequenceS { get; set; }

        /// <summary>Prefill attention reads K and V in tiles of this many tokens: a chunk's context plus its tokens is rounded up to whole tiles.</summary>
        public int AttentionPrefillKvTile { get; set; } = 1;

        /// <summary>Fixed cost of a decode attention call, seconds.</summary>
        public double AttentionDecodeFloorS { get; set; } = 7e-6;

        /// <summary>Added cost per decoding sequence (its block table walk and reduction), seconds.</summary>
        public double AttentionDecodePerSequenceS { get; set; }

        /// <summary>Decode attention reads each sequence's K and V in tiles of this many tokens (its context rounded up to whole tiles).</summary>
        public int AttentionDecodeKvTile { get; set; } = 1;

        /// <summary>Share of the per-direction link bandwidth a ring collective reaches (A100 NVLink pair: 190 of 300 GB/s).</summary>
        public double CollectiveBandwidth { get; set; } = 0.63;
    }
}
