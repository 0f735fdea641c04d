using System;
using System.Collections.Generic;

namespace Sim.Core.PerfModel
{
    /// <summary>
    /// Roofline step time: each operator of a decoder layer takes max(FLOPs / (peak × compute efficiency),
    /// bytes / (bandwidth × memory efficiency)) plus a kernel floor, on one GPU of the tensor-parallel group;
    /// an iteration is all layers, the pipeline hand-offs, the LM head and a fixed overhead.
    /// Formulas and calibration in docs/perf-model.md.
    /// </summary>
    public sealed partial class RooflinePerfModel : ISharedPerfModel, IPricesDecodeBatches, IPricesDecodeRuns
    {
        const int InputLayernorm = 0, AttnPreProj = 1, AttnRope = 2, AttnPrefill = 3, AttnDecode = 4, AttnPostProj = 5,
            PostAttentionLayernorm = 6, MlpUpProj = 7, MlpAct = 8, MlpDownProj = 9, Add = 10, AllReduce = 11, MoeGate = 12, MoeExperts = 13;

        static readonly string[] Names =
        {
            "input_layernorm", "attn_pre_proj", "attn_rope", "attn_prefill", "attn_decode", "attn_post_proj",
            "post_attention_layernorm", "mlp_up_proj", "mlp_act", "mlp_down_proj", "add", "all_reduce", "moe_gate", "moe_experts",
        };

        readonly ModelSpec _model;
        readonly HardwareSpec _gpu;
        readonly RooflineEfficiency _eff;
        readonly int _tp;
        readonly int _pp;
        readonly double _overheadS;
        readonly int _operatorCount;

        public RooflinePerfModel(ModelSpec model, HardwareSpec gpu, Parallelism parallelism, RooflineEfficiency efficiency, double iterationOverheadS)
        {
            if (parallelism.Tp < 1 || parallelism.Pp < 1) throw new ArgumentOutOfRangeException(nameof(parallelism), "TP and PP degrees must be at least 1");
            _model = model;
            _gpu = gpu;
            _eff = efficiency;
            _tp = parallelism.Tp;
            _pp = parallelism.Pp;
            _overheadS = iterationOverheadS;
            _operatorCount = model.IsMoe ? Names.Length : MoeGate;
        }

        /// <summary>Every operator name, in execution order; a dense model's layer has the first 12, an MoE layer adds moe_gate and moe_experts.</summary>
        public static IReadOnlyList<string> OperatorNames => Names;

        /// <summary>The position of operator <paramref name="name"/> in <see cref="OperatorNames"/>; throws for a name the model does not have.</summary>
        public static int OperatorIndex(string name)
        {
            int index = Array.IndexOf(Names, name);
            return index >= 0 ? index : throw new ArgumentException("no roofline operator '" + name + "'", nameof(name));
        }

        /// <summary>The number of entries of <see cref="OperatorNames"/> this model's layer has.</summary>
        public int OperatorCount => _operatorCount;

        double Bytes => _model.WeightBytesPerParam;

        /// <summary>Whole-replica seconds for one iteration: every layer on every pipeline stage in turn, plus hand-offs, LM head and overhead.</summary>
        public double IterationTimeS(ReadOnlySpan<SequenceWork> batch)
        {
            BatchShape shape = BatchShape.Of(batch, _eff);
            if (shape.Tokens == 0) return _overheadS;
            if (shape.DecodeSequences == shape.Sequences && shape.Tokens == shape.Sequences) return DecodeIterationS(shape.Sequences, shape.DecodeTiledKvTokens);
            double layerS = 0;
            for (int op = 0; op < _operatorCount; op++) layerS += OperatorS(op, shape);
            return _model.Layers * layerS + OutsideLayersS(shape);
        }

        /// <summary>What an iteration costs besides its layers: pipeline hand-offs, the LM head and the fixed overhead.</summary>
        internal double OutsideLayersS(in BatchShape shape) => PipelineHandOffS(shape) + LmHeadS(shape.Sequences) + _overheadS;

        /// <summary>The parts of <see cref="OutsideLayersS"/> by name: <c>lm_head</c>, <c>pipeline_handoff</c>, <c>overhead</c>.</summary>
        public IReadOnlyList<OperatorTime> OutsideLayersBreakdown(ReadOnlySpan<SequenceWork> batch)
        {
            BatchShape shape = BatchShape.Of(batch, _eff);
            bool empty = shape.Tokens == 0;
            return new[]
            {
                new OperatorTime("lm_head", empty ? 0 : LmHeadS(shape.Sequences)),
                new OperatorTime("pipeline_handoff", empty ? 0 : PipelineHandOffS(shape)),
                new OperatorTime("overhead", _overheadS),
            };
        }

        double PipelineHandOffS(in BatchShape shape) => (_pp - 1) * PointToPointS(shape.Tokens * _model.HiddenSize * Bytes);

        /// <summary>One layer's operators on one GPU for <paramref name="batch"/>, in the order of <see cref="OperatorNames"/>.</summary>
        public IReadOnlyList<OperatorTime> LayerBreakdown(ReadOnlySpan<SequenceWork> batch)
        {
            BatchShape shape = BatchShape.Of(batch, _eff);
            var times = new OperatorTime[_operatorCount];
            for (int op = 0; op < times.Length; op++) times[op] = new OperatorTime(Names[op], shape.Tokens == 0 ? 0 : OperatorS(op, shape));
            return times;
        }

        /// <summary>One layer's operator <paramref name="op"/> (an index into <see cref="OperatorNames"/>) on one GPU.</summary>
        internal double OperatorS(int op, in BatchShape shape)
        {
            double t = shape.Tokens, h = _model.HiddenSize, dense = _model.DenseIntermediateSize / (double)_tp;
            int projections = _model.GatedMlp ? 2 : 1;
            switch (op)
            {
                case InputLayernorm:
                case PostAttentionLayernorm: return NormS(t);
                case AttnPreProj: return GemmS(t, h, (HeadsPerGpu + 2 * KvHeadsPerGpu) * _model.HeadDim);
                case AttnRope: return PointwiseS(2 * t * (HeadsPerGpu + KvHeadsPerGpu) * _model.HeadDim, _eff.PointwiseMemory);
                case AttnPrefill: return AttentionPrefillS(shape);
                case AttnDecode: return AttentionDecodeS(shape);
                case AttnPostProj: return GemmS(t, HeadsPerGpu * _model.HeadDim, h);
                case MlpUpProj: return GemmS(t, h, projections * dense);
                case MlpAct: return PointwiseS((projections + 1) * t * dense, _eff.PointwiseMemory);
                case MlpDownProj: return GemmS(t, dense, h);
                case Add: return PointwiseS(3 * t * h, _eff.AddMemory);
                case AllReduce: return 2 * AllReduceS(t * h * Bytes);
                case MoeGate: return GemmS(t, h, _model.Experts);
                case MoeExperts: return RoutedExpertsS(t);
                default: throw new ArgumentOutOfRangeException(nameof(op));
            }
        }

        double HeadsPerGpu => (double)_model.Heads / _tp;

        /// <summary>Grouped-query KV heads split TP ways, each GPU keeping at least one (they are replicated beyond that).</summary>
        double KvHeadsPerGpu => Math.Max(1.0, (double)_model.KvHeads / _tp);

        /// <summary>A [m × k] by [k × n] GEMM: weights, input and output cross memory once; m is computed in whole tiles.</summary>
        public double GemmS(double m, double k, double n) => GroupedGemmS(1, m, k, n);

        /// <summary><paramref name="groups"/> GEMMs of [m × k] by [k × n] in one kernel (MoE experts): each group's m is rounded up to whole tiles.</summary>
        double GroupedGemmS(double groups, double m, double k, double n)
        {
            if (m <= 0 || k <= 0 || n <= 0) return 0;
            double tiledM = Math.Ceiling(m / _eff.GemmTileTokens - 1e-9) * _eff.GemmTileTokens;
            double computeS = 2 * groups * tiledM * k * n / (_gpu.PeakFp16Flops * _eff.GemmCompute);
            double memoryS = Bytes * groups * (k * n + m * k + m * n) / (_gpu.MemoryBandwidthBytesPerS * _eff.GemmMemory);
            return Math.Max(computeS, memoryS) + _eff.GemmFloorS;
        }

        /// <summary>RMSNorm reads and writes each token's hidden vector (the residual add is its own operator).</summary>
        double NormS(double t) =>
            Bytes * (2 * t * _model.HiddenSize + _model.HiddenSize) / (_gpu.MemoryBandwidthBytesPerS * _eff.NormMemory) + _eff.SmallKernelFloorS;

        double PointwiseS(double elements, double memoryEfficiency) =>
            elements <= 0 ? 0 : Bytes * elements / (_gpu.MemoryBandwidthBytesPerS * memoryEfficiency) + _eff.SmallKernelFloorS;

        /// <summary>Causal attention over each prefill chunk: every new token attends to the context and the new tokens before it.</summary>
        double AttentionPrefillS(in BatchShape shape)
        {
            if (shape.PrefillSequences == 0) return 0;
            double flops = 4 * HeadsPerGpu * _model.HeadDim * shape.PrefillTiledPairs;
            double bytes = Bytes * (2 * shape.PrefillTokens * HeadsPerGpu * _model.HeadDim + 2 * shape.PrefillKvTokens * KvHeadsPerGpu * _model.HeadDim);
            return Math.Max(flops / (_gpu.PeakFp16Flops * _eff.AttentionCompute), bytes / (_gpu.MemoryBandwidthBytesPerS * _eff.AttentionMemory))
                + _eff.AttentionPrefillFloorS + shape.PrefillSequences * _eff.AttentionPrefillPerSequenceS;
        }

        /// <summary>Decode attention reads every cached K and V of each decoding sequence once: memory-bound.</summary>
        double AttentionDecodeS(in BatchShape shape)
        {
            if (shape.DecodeSequences == 0) return 0;
            double kvElementsPerToken = _model.KvElementsPerTokenPerLayer * KvHeadsPerGpu / _model.KvHeads;
            double flops = 4 * HeadsPerGpu * _model.HeadDim * shape.DecodeTiledKvTokens;
            double bytes = Bytes * (shape.DecodeTiledKvTokens * kvElementsPerToken + 2 * shape.DecodeSequences * HeadsPerGpu * _model.HeadDim);
            return Math.Max(flops / (_gpu.PeakFp16Flops * _eff.AttentionCompute), bytes / (_gpu.MemoryBandwidthBytesPerS * _eff.AttentionMemory))
                + _eff.AttentionDecodeFloorS + shape.DecodeSequences * _eff.AttentionDecodePerSequenceS;
        }

        /// <summary>
        /// Routed experts, split TP ways: each token visits top-k experts. Under uniform routing the batch touches
        /// E·(1 − (1 − k/E)^t) distinct experts, whose weights are all read; each expert's tokens fill whole tiles.
        /// </summary>
        double RoutedExpertsS(double t)
        {
            double experts = _model.Experts, perToken = _model.ExpertsPerToken;
            double touched = experts * (1 - Math.Pow(1 - perToken / experts, t));
            double tokensPerExpert = t * perToken / touched;
            double width = _model.ExpertIntermediateSize / (double)_tp;
            int projections = _model.GatedMlp ? 2 : 1;
            return GroupedGemmS(touched, tokensPerExpert, _model.HiddenSize, projections * width)
                + PointwiseS((projections + 1) * t * perToken * width, _eff.PointwiseMemory)
                + GroupedGemmS(touched, tokensPerExpert, width, _model.HiddenSize);
        }

        /// <summary>One layer's routed experts as <see cref="IterationTimeS"/> charges them: <paramref name="tokens"/> spread evenly.</summary>
        public double EvenRoutedExpertsS(int tokens) => _model.IsMoe && tokens > 0 ? RoutedExpertsS(tokens) : 0;

        /// <summary>
        /// One layer's routed experts on one GPU, from the tokens each of its experts receives: the up and down projections
        /// as grouped GEMMs (each expert with tokens is a group of whole tiles, its weights read once) and the activation.
        /// With <paramref name="splitTensorParallel"/> each expert's width is split TP ways; under expert parallelism a
        /// GPU holds whole experts.
        /// </summary>
        public double RoutedExpertsS(ReadOnlySpan<double> tokensPerExpert, bool splitTensorParallel)
        {
            double width = _model.ExpertIntermediateSize / (splitTensorParallel ? (double)_tp : 1);
            int projections = _model.GatedMlp ? 2 : 1;
            double tokens = 0;
            foreach (double m in tokensPerExpert) tokens += m;
            if (tokens <= 0) return 0;
            return GroupedGemmS(tokensPerExpert, _model.HiddenSize, projections * width)
                + PointwiseS((projections + 1) * tokens * width, _eff.PointwiseMemory)
                + GroupedGemmS(tokensPerExpert, width, _model.HiddenSize);
        }

        double GroupedGemmS(ReadOnlySpan<double> groupTokens, double k, double n)
        {
            double computeS = 0, memoryS = 0;
            foreach (double m in groupTokens)
            {
                if (m <= 0) continue;
                double tiledM = Math.Ceiling(m / _eff.GemmTileTokens - 1e-9) * _eff.GemmTileTokens;
                computeS += 2 * tiledM * k * n / (_gpu.PeakFp16Flops * _eff.GemmCompute);
                memoryS += Bytes * (k * n + m * k + m * n) / (_gpu.MemoryBandwidthBytesPerS * _eff.GemmMemory);
            }
            return Math.Max(computeS, memoryS) + _eff.GemmFloorS;
        }

        /// <summary>Ring all-reduce over the TP group: 2(n-1)/n of the message crosses each link, in 2(n-1) latency-bound steps.</summary>
        public double AllReduceS(double messageBytes) => RingAllReduceS(messageBytes, _tp, _gpu, _eff);

        /// <summary>Ring all-reduce of <paramref name="messageBytes"/> over <paramref name="workers"/> GPUs linked by <paramref name="gpu"/>'s interconnect.</summary>
        public static double RingAllReduceS(double messageBytes, int workers, HardwareSpec gpu, RooflineEfficiency efficiency)
        {
            if (workers <= 1 || messageBytes <= 0) return 0;
            double n = workers;
            return 2 * (n - 1) / n * messageBytes / (gpu.InterconnectBandwidthBytesPerS * efficiency.CollectiveBandwidth) + 2 * (n - 1) * gpu.InterconnectLatencyS;
        }

        /// <summary>One pipeline stage handing its activations to the next.</summary>
        double PointToPointS(double messageBytes) =>
            messageBytes / (_gpu.InterconnectBandwidthBytesPerS * _eff.CollectiveBandwidth) + _gpu.InterconnectLatencyS;

        /// <summary>Logits for the last position of each sequence: a GEMM over the vocabulary, split TP ways.</summary>
        double LmHeadS(int sequences) => GemmS(sequences, _model.HiddenSize, (double)_model.VocabSize / _tp);
    }
}
