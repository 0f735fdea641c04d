using System;
using System.Collections.Generic;
using System.Linq;

namespace Sim.Core.PerfModel
{
    /// <summary>One measured operator time from a profile table, with what the roofline needs to predict it.</summary>
    internal sealed class ProfileSample
    {
        ProfileSample(string op, int tp, SequenceWork[] batch, double size, double tokens, double measuredS)
        {
            Op = op;
            OperatorIndex = RooflinePerfModel.OperatorIndex(op);
            Tp = tp;
            Batch = batch;
            Size = size;
            Tokens = tokens;
            MeasuredS = measuredS;
        }

        /// <summary>Operator name as in <see cref="RooflinePerfModel.OperatorNames"/>.</summary>
        public string Op { get; }

        int OperatorIndex { get; }

        /// <summary>TP degree, or for all_reduce the number of GPUs.</summary>
        public int Tp { get; }

        SequenceWork[] Batch { get; }

        /// <summary>The row's size along its table's main axis: num_tokens, chunk or batch size, or message bytes.</summary>
        public double Size { get; }

        /// <summary>
        /// How many tokens the row spans, for holding out a range: num_tokens; a prefill chunk's context plus its tokens; a
        /// decode's context plus one; an all-reduce's message in tokens of the hidden size.
        /// </summary>
        public double Tokens { get; }

        public double MeasuredS { get; }

        // A fit evaluates each row thousands of times with one efficiency object changing in place (and its tiles rarely):
        // the model and the batch's sums are kept until those change.
        RooflineEfficiency? _modelEfficiency;
        RooflinePerfModel? _model;
        int _prefillTile = -1, _decodeTile = -1;
        BatchShape _shape;

        public double PredictedS(ModelSpec model, HardwareSpec gpu, RooflineEfficiency efficiency)
        {
            if (Op == "all_reduce") return RooflinePerfModel.RingAllReduceS(Size, Tp, gpu, efficiency);
            if (!ReferenceEquals(efficiency, _modelEfficiency))
            {
                _model = new RooflinePerfModel(model, gpu, new Parallelism { Tp = Tp }, efficiency, 0);
                _modelEfficiency = efficiency;
            }
            if (efficiency.AttentionPrefillKvTile != _prefillTile || efficiency.AttentionDecodeKvTile != _decodeTile)
            {
                _prefillTile = efficiency.AttentionPrefillKvTile;
                _decodeTile = efficiency.AttentionDecodeKvTile;
                _shape = BatchShape.Of(Batch, _prefillTile, _decodeTile);
            }
            return _model!.OperatorS(OperatorIndex, _shape);
        }

        /// <summary>Every timing in <paramref name="tables"/>: each MLP-table operator per row (one prefill of num_tokens), each attention row, each all-reduce row.</summary>
        public static IReadOnlyList<ProfileSample> All(ProfileDirectory tables, ModelSpec model)
        {
            var samples = new List<ProfileSample>();
            foreach (MlpProfile.Row row in tables.Mlp.Rows)
            {
                var batch = new[] { new SequenceWork(row.Tokens, 0) };
                for (int op = 0; op < MlpProfile.Operators.Length; op++)
                    samples.Add(new ProfileSample(MlpProfile.Operators[op], row.Tp, batch, row.Tokens, row.Tokens, row.MedianMs[op] * 1e-3));
            }
            if (tables.Attention != null)
                foreach (AttentionProfile.Row row in tables.Attention.Rows)
                {
                    SequenceWork[] batch = row.IsPrefill
                        ? new[] { new SequenceWork(row.ChunkTokens, row.ContextTokens) }
                        : Enumerable.Repeat(new SequenceWork(1, row.ContextTokens), row.BatchSize).ToArray();
                    samples.Add(new ProfileSample(row.IsPrefill ? "attn_prefill" : "attn_decode", row.Tp, batch,
                        row.IsPrefill ? row.ChunkTokens : row.BatchSize, row.ContextTokens + (row.IsPrefill ? row.ChunkTokens : 1), row.MedianMs * 1e-3));
                }
            if (tables.AllReduce != null)
                foreach (AllReduceProfile.Row row in tables.AllReduce.Rows)
                    samples.Add(new ProfileSample("all_reduce", row.Workers, Array.Empty<SequenceWork>(), row.Bytes, row.Bytes / (model.HiddenSize * model.WeightBytesPerParam), row.MedianMs * 1e-3));
            return samples;
        }
    }
}
