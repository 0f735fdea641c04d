using System.Collections.Generic;
using System.Linq;

namespace Sim.Core.PerfModel
{
    /// <summary>One measured operator time from a profile table, with what the roofline needs to predict it.</summary>
    internal sealed class ProfileSample
    {
        ProfileSample(string op, int tp, BatchShape shape, double size, double measuredS)
        {
            Op = op;
            OperatorIndex = RooflinePerfModel.OperatorIndex(op);
            Tp = tp;
            Shape = shape;
            Size = size;
            MeasuredS = measuredS;
        }

        /// <summary>Operator name as in <see cref="RooflinePerfModel.OperatorNames"/>.</summary>
        public string Op { get; }

        int OperatorIndex { get; }

        /// <summary>TP degree, or for all_reduce the number of GPUs.</summary>
        public int Tp { get; }

        BatchShape Shape { get; }

        /// <summary>The row's size along its table's main axis: num_tokens, chunk or batch size, or message bytes.</summary>
        public double Size { get; }

        public double MeasuredS { get; }

        public double PredictedS(ModelSpec model, HardwareSpec gpu, RooflineEfficiency efficiency) => Op == "all_reduce"
            ? RooflinePerfModel.RingAllReduceS(Size, Tp, gpu, efficiency)
            : new RooflinePerfModel(model, gpu, new Parallelism { Tp = Tp }, efficiency, 0).OperatorS(OperatorIndex, Shape);

        /// <summary>Every timing in <paramref name="tables"/>: each MLP-table operator per row (one prefill of num_tokens), each attention row, each all-reduce row.</summary>
        public static IReadOnlyList<ProfileSample> All(ProfileDirectory tables, ModelSpec model)
        {
            var samples = new List<ProfileSample>();
            foreach (MlpProfile.Row row in tables.Mlp.Rows)
            {
                BatchShape shape = BatchShape.Of(new[] { new SequenceWork(row.Tokens, 0) });
                for (int op = 0; op < MlpProfile.Operators.Length; op++)
                    samples.Add(new ProfileSample(MlpProfile.Operators[op], row.Tp, shape, row.Tokens, row.MedianMs[op] * 1e-3));
            }
            if (tables.Attention != null)
                foreach (AttentionProfile.Row row in tables.Attention.Rows)
                {
                    SequenceWork[] batch = row.IsPrefill
                        ? new[] { new SequenceWork(row.ChunkTokens, row.ContextTokens) }
                        : Enumerable.Repeat(new SequenceWork(1, row.ContextTokens), row.BatchSize).ToArray();
                    samples.Add(new ProfileSample(row.IsPrefill ? "attn_prefill" : "attn_decode", row.Tp, BatchShape.Of(batch),
                        row.IsPrefill ? row.ChunkTokens : row.BatchSize, row.MedianMs * 1e-3));
                }
            if (tables.AllReduce != null)
                foreach (AllReduceProfile.Row row in tables.AllReduce.Rows)
                    samples.Add(new ProfileSample("all_reduce", row.Workers, default, row.Bytes, row.MedianMs * 1e-3));
            return samples;
        }
    }
}
