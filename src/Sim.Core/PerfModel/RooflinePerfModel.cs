using System;
using System.Collections.Generic;

namespace Sim.Core.PerfModel
{
    /// <summary>
    /// Roofline step time: each operator of a decoder layer takes max(FLOPs / (peak × compute efficiency),
    /// bytes / (bandwidth × memory efficiency)) plus a kernel floor, on one GPU of the tensor-parallel group;
    /// an iteration is all layers, the pipeline hand-offs, the LM head and a fixed overhead.
    /// Formulas in docs/perf-model.md.
    /// </summary>
    public sealed class RooflinePerfModel : IPerfModel
    {
        readonly ModelSpec _model;
        readonly HardwareSpec _gpu;
        readonly RooflineEfficiency _eff;
        readonly int _tp;
        readonly int _pp;
        readonly double _overheadS;

        public RooflinePerfModel(ModelSpec model, HardwareSpec gpu, Parallelism parallelism, RooflineEfficiency efficiency, double iterationOverheadS)
        {
            _model = model;
            _gpu = gpu;
            _eff = efficiency;
            _tp = parallelism.Tp;
            _pp = parallelism.Pp;
            _overheadS = iterationOverheadS;
        }

        double Bytes => _model.WeightBytesPerParam;

        /// <summary>Operator names of one decoder layer, in the order of docs/CLI.md; <see cref="OperatorS"/> times each.</summary>
        public static IReadOnlyList<string> Operators { get; } = new[]
        {
            "input_layernorm", "attn_pre_proj", "attn_rope", "attn_prefill", "attn_decode", "attn_post_proj",
            "post_attention_layernorm", "mlp_up_proj", "mlp_act", "mlp_down_proj", "add", "all_reduce",
        };

        public double IterationTimeS(ReadOnlySpan<SequenceWork> batch)
        {
            BatchShape shape = BatchShape.Of(batch);
            double layerS = 0;
            for (int op = 0; op < Operators.Count; op++) layerS += OperatorS(op, shape);
            double handOffS = (_pp - 1) * PointToPointS(shape.Tokens * (double)_model.HiddenSize * Bytes);
            return _model.Layers * layerS + handOffS + LmHeadS(batch.Length) + _overheadS;
        }

        /// <summary>One layer's operators for <paramref name="batch"/>, in the order of <see cref="Operators"/>.</summary>
        public IReadOnlyList<OperatorTime> LayerBreakdown(ReadOnlySpan<SequenceWork> batch)
        {
            BatchShape shape = BatchShape.Of(batch);
            var times = new OperatorTime[Operators.Count];
            for (int op = 0; op < times.Length; op++) times[op] = new OperatorTime(Operators[op], OperatorS(op, shape));
            return times;
        }

        double OperatorS(int op, in BatchShape shape)
        {
            double t = shape.Tokens, h = _model.HiddenSize, inter = _model.ActiveIntermediateSize;
            return op switch
            {
                0 => NormS(t, residual: false),
                1 => GemmS(t, h, (_model.QueryDim + 2.0 * _model.KvDim) / _tp),
                2 => PointwiseS(2 * t * (_model.QueryDim + _model.KvDim) / _tp),
                3 => AttentionPrefillS(shape),
                4 => AttentionDecodeS(shape),
                5 => GemmS(t, (double)_model.QueryDim / _tp, h),
                6 => NormS(t, residual: true),
                7 => GemmS(t, h, (_model.GatedMlp ? 2 : 1) * inter / _tp),
                8 => PointwiseS((_model.GatedMlp ? 3 : 2) * t * inter / _tp),
                9 => GemmS(t, inter / _tp, h),
                10 => AddS(t),
                _ => 2 * AllReduceS(t * h * Bytes),
            };
        }

        /// <summary>A [m × k] by [k × n] GEMM: weights, input and output cross memory once; m is computed in whole tiles.</summary>
        public double GemmS(double m, double k, double n)
        {
            if (m <= 0) return 0;
            double tiledM = Math.Ceiling(m / _eff.GemmTileTokens) * _eff.GemmTileTokens;
            double computeS = 2 * tiledM * k * n / (_gpu.PeakFp16Flops * _eff.GemmCompute);
            double memoryS = Bytes * (k * n + m * k + m * n) / (_gpu.MemoryBandwidthBytesPerS * _eff.GemmMemory);
            return Math.Max(computeS, memoryS) + _eff.GemmFloorS;
        }

        /// <summary>RMSNorm reads and writes each token's hidden vector (the post-attention one also reads the residual it adds).</summary>
        double NormS(double t, bool residual) =>
            t <= 0 ? 0 : Bytes * ((residual ? 3 : 2) * t * _model.HiddenSize + _model.HiddenSize) / (_gpu.MemoryBandwidthBytesPerS * _eff.NormMemory) + _eff.SmallKernelFloorS;

        double PointwiseS(double elements) =>
            elements <= 0 ? 0 : Bytes * elements / (_gpu.MemoryBandwidthBytesPerS * _eff.PointwiseMemory) + _eff.SmallKernelFloorS;

        double AddS(double t) =>
            t <= 0 ? 0 : Bytes * 3 * t * _model.HiddenSize / (_gpu.MemoryBandwidthBytesPerS * _eff.AddMemory) + _eff.SmallKernelFloorS;

        /// <summary>Causal attention over each prefill chunk: every new token attends to the context and the new tokens before it.</summary>
        double AttentionPrefillS(in BatchShape shape)
        {
            if (shape.PrefillSequences == 0) return 0;
            double heads = (double)_model.Heads / _tp, kvDim = (double)_model.KvDim / _tp;
            double flops = 4 * heads * _model.HeadDim * shape.PrefillAttendedPairs;
            double bytes = Bytes * (2 * shape.PrefillTokens * heads * _model.HeadDim + 2 * shape.PrefillKvTokens * kvDim);
            return Math.Max(flops / (_gpu.PeakFp16Flops * _eff.AttentionCompute), bytes / (_gpu.MemoryBandwidthBytesPerS * _eff.AttentionMemory)) + _eff.GemmFloorS;
        }

        /// <summary>Decode attention reads every cached K and V of each decoding sequence once: memory-bound.</summary>
        double AttentionDecodeS(in BatchShape shape)
        {
            if (shape.DecodeSequences == 0) return 0;
            double heads = (double)_model.Heads / _tp;
            double kvElements = (double)_model.KvElementsPerTokenPerLayer / _tp;
            double flops = 4 * heads * _model.HeadDim * shape.DecodeKvTokens;
            double bytes = Bytes * (shape.DecodeKvTokens * kvElements + 2 * shape.DecodeSequences * heads * _model.HeadDim);
            return Math.Max(flops / (_gpu.PeakFp16Flops * _eff.AttentionCompute), bytes / (_gpu.MemoryBandwidthBytesPerS * _eff.AttentionMemory)) + _eff.GemmFloorS;
        }

        /// <summary>Ring all-reduce over the TP group: 2(n-1)/n of the message crosses each link, in 2(n-1) latency-bound steps.</summary>
        public double AllReduceS(double messageBytes)
        {
            if (_tp == 1 || messageBytes <= 0) return 0;
            double n = _tp;
            return 2 * (n - 1) / n * messageBytes / (_gpu.InterconnectBandwidthBytesPerS * _eff.CollectiveBandwidth) + 2 * (n - 1) * _gpu.InterconnectLatencyS;
        }

        double PointToPointS(double messageBytes) =>
            messageBytes / (_gpu.InterconnectBandwidthBytesPerS * _eff.CollectiveBandwidth) + _gpu.InterconnectLatencyS;

        /// <summary>Logits for the last position of each sequence: a GEMM over the vocabulary, split TP ways.</summary>
        double LmHeadS(int sequences) => sequences == 0 ? 0 : GemmS(sequences, _model.HiddenSize, (double)_model.VocabSize / _tp);

        /// <summary>The batch reduced to the sums the operators need, in one pass and without allocating.</summary>
        readonly struct BatchShape
        {
            BatchShape(double tokens, int prefillSequences, double prefillTokens, double prefillKvTokens, double prefillAttendedPairs, int decodeSequences, double decodeKvTokens)
            {
                Tokens = tokens;
                PrefillSequences = prefillSequences;
                PrefillTokens = prefillTokens;
                PrefillKvTokens = prefillKvTokens;
                PrefillAttendedPairs = prefillAttendedPairs;
                DecodeSequences = decodeSequences;
                DecodeKvTokens = decodeKvTokens;
            }

            public double Tokens { get; }
            public int PrefillSequences { get; }
            public double PrefillTokens { get; }

            /// <summary>Context plus new tokens of the prefill chunks: the K and V they read.</summary>
            public double PrefillKvTokens { get; }

            /// <summary>Σ new × (context + (new + 1) / 2): query-key pairs under the causal mask.</summary>
            public double PrefillAttendedPairs { get; }

            public int DecodeSequences { get; }

            /// <summary>Σ (context + 1) over decodes: the K and V each decode step reads.</summary>
            public double DecodeKvTokens { get; }

            public static BatchShape Of(ReadOnlySpan<SequenceWork> batch)
            {
                double tokens = 0, prefillTokens = 0, prefillKv = 0, pairs = 0, decodeKv = 0;
                int prefills = 0, decodes = 0;
                foreach (SequenceWork work in batch)
                {
                    tokens += work.NewTokens;
                    if (work.IsDecode)
                    {
                        decodes++;
                        decodeKv += work.ContextTokens + 1;
                    }
                    else
                    {
                        prefills++;
                        prefillTokens += work.NewTokens;
                        prefillKv += work.ContextTokens + work.NewTokens;
                        pairs += work.NewTokens * (work.ContextTokens + (work.NewTokens + 1) / 2.0);
                    }
                }
                return new BatchShape(tokens, prefills, prefillTokens, prefillKv, pairs, decodes, decodeKv);
            }
        }
    }
}
