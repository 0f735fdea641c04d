using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Sim.Core.PerfModel
{
    /// <summary>
    /// Step time from measured operator tables (Vidur's format, <see cref="ProfileDirectory"/>): each operator the
    /// tables hold is interpolated at the batch's shape — the MLP-table operators in num_tokens, attention in chunk
    /// or batch size and context length, all-reduce in message bytes — at the replica's TP degree; every operator
    /// they lack comes from the roofline (<see cref="FilledOperators"/> names them), as do the LM head, pipeline
    /// hand-offs and the iteration overhead. Same layer sum as <see cref="RooflinePerfModel"/>, so the two compare
    /// row by row.
    /// </summary>
    public sealed partial class ProfilePerfModel : ISharedPerfModel, IPricesDecodeBatches
    {
        static readonly int AttnPrefill = RooflinePerfModel.OperatorIndex("attn_prefill"), AttnDecode = RooflinePerfModel.OperatorIndex("attn_decode"),
            AllReduce = RooflinePerfModel.OperatorIndex("all_reduce");

        readonly RooflinePerfModel _roofline;
        readonly int _layers;
        readonly double _allReduceBytesPerToken;

        /// <summary>Measured seconds by operator index (<see cref="RooflinePerfModel.OperatorNames"/>) as a curve in num_tokens; null where the roofline fills in.</summary>
        readonly PiecewiseLinear?[] _byTokens;
        readonly double[] _mlpTokens;
        readonly PiecewiseLinearSurface? _prefillByChunkAndContext;
        readonly PiecewiseLinearSurface? _decodeByBatchAndContext;
        readonly PiecewiseLinear? _allReduceByBytes;
        readonly bool _allReduceNeeded;
        readonly RooflineEfficiency _efficiency;
        readonly double _collectiveLaunchS;

        ProfilePerfModel(ProfileDirectory tables, ModelSpec model, HardwareSpec gpu, Parallelism parallelism, RooflineEfficiency efficiency, double iterationOverheadS,
            double collectiveLaunchS)
        {
            _collectiveLaunchS = collectiveLaunchS;
            _roofline = new RooflinePerfModel(model, gpu, parallelism, efficiency, iterationOverheadS);
            _efficiency = efficiency;
            _layers = model.Layers;
            int tp = parallelism.Tp;
            _byTokens = new PiecewiseLinear?[_roofline.OperatorCount];
            List<MlpProfile.Row> rows = tables.Mlp.Rows.Where(r => r.Tp == tp).ToList();
            if (rows.Count == 0)
                throw new SimInputException(tables.Mlp.Path, 0, "num_tensor_parallel_workers", "no rows for TP " + tp + "; the table has TP " + Degrees(tables.Mlp.Rows.Select(r => r.Tp)));
            // Plain loops into arrays, not LINQ over tuples: generic code over value tuples is not precompiled, and
            // jitting it was a visible share of a short run's start.
            var tokens = new double[rows.Count];
            for (int i = 0; i < rows.Count; i++) tokens[i] = rows[i].Tokens;
            for (int op = 0; op < MlpProfile.Operators.Length; op++)
            {
                var seconds = new double[rows.Count];
                for (int i = 0; i < rows.Count; i++) seconds[i] = rows[i].MedianMs[op] * 1e-3;
                _byTokens[RooflinePerfModel.OperatorIndex(MlpProfile.Operators[op])] = new PiecewiseLinear(tokens, seconds);
            }
            // Every curve in _byTokens is through these same num_tokens values: one search places a batch on all of them.
            _mlpTokens = _byTokens[RooflinePerfModel.OperatorIndex(MlpProfile.Operators[0])]!.SortedXs;

            if (tables.Attention != null)
            {
                IReadOnlyList<AttentionProfile.Row> attention = tables.Attention.Rows;
                if (!attention.Any(r => r.Tp == tp))
                    throw new SimInputException(tables.Attention.Path, 0, "num_tensor_parallel_workers", "no rows for TP " + tp + "; the table has TP " + Degrees(attention.Select(r => r.Tp)));
                _prefillByChunkAndContext = Surface(attention, tp, prefill: true);
                _decodeByBatchAndContext = Surface(attention, tp, prefill: false);
            }

            _allReduceNeeded = tp > 1;
            _allReduceBytesPerToken = model.HiddenSize * model.WeightBytesPerParam;
            if (_allReduceNeeded && tables.AllReduce != null)
            {
                IReadOnlyList<AllReduceProfile.Row> reduce = tables.AllReduce.Rows;
                int count = 0;
                foreach (AllReduceProfile.Row row in reduce)
                    if (row.Workers == tp) count++;
                if (count == 0)
                    throw new SimInputException(tables.AllReduce.Path, 0, "num_workers", "no rows for " + tp + " GPUs (the scene's TP); the table has " + Degrees(reduce.Select(r => r.Workers)));
                var bytes = new double[count];
                var seconds = new double[count];
                count = 0;
                foreach (AllReduceProfile.Row row in reduce)
                    if (row.Workers == tp)
                    {
                        bytes[count] = row.Bytes;
                        seconds[count++] = row.MedianMs * 1e-3;
                    }
                _allReduceByBytes = new PiecewiseLinear(bytes, seconds);
            }
            FilledOperators = Enumerable.Range(0, _roofline.OperatorCount).Where(IsFilled).Select(op => RooflinePerfModel.OperatorNames[op]).ToArray();
        }

        /// <summary>
        /// Reads the tables in <paramref name="profileDir"/> for <paramref name="model"/> (bad input: <see cref="SimInputException"/> naming file,
        /// row and column). <paramref name="collectiveLaunchS"/> is added to each measured all-reduce (its CPU launch, which a kernel timing leaves out);
        /// <paramref name="meanwhile"/> runs on this thread as the attention table is read on another (<see cref="ProfileDirectory.Load"/>).
        /// </summary>
        public static ProfilePerfModel Load(string profileDir, ModelSpec model, HardwareSpec gpu, Parallelism parallelism, RooflineEfficiency efficiency, double iterationOverheadS,
            double collectiveLaunchS = 0, Action? meanwhile = null) =>
            new ProfilePerfModel(ProfileDirectory.Load(profileDir, model, meanwhile), model, gpu, parallelism, efficiency, iterationOverheadS, collectiveLaunchS);

        /// <summary>Operators of this model's layer the tables lack, whose times come from the roofline.</summary>
        public IReadOnlyList<string> FilledOperators { get; }

        public double IterationTimeS(ReadOnlySpan<SequenceWork> batch)
        {
            BatchShape shape = BatchShape.Of(batch, _efficiency);
            if (shape.Tokens == 0) return _roofline.OutsideLayersS(shape);
            double layerS = 0;
            PiecewiseLinear.Segment tokens = PiecewiseLinear.Locate(_mlpTokens, shape.Tokens);
            for (int op = 0; op < _byTokens.Length; op++) layerS += OperatorS(op, batch, shape, tokens);
            return _layers * layerS + _roofline.OutsideLayersS(shape);
        }

        /// <summary>One layer's operators on one GPU, in the order and with the names of <see cref="RooflinePerfModel.LayerBreakdown"/>.</summary>
        public IReadOnlyList<OperatorTime> LayerBreakdown(ReadOnlySpan<SequenceWork> batch)
        {
            BatchShape shape = BatchShape.Of(batch, _efficiency);
            var times = new OperatorTime[_byTokens.Length];
            PiecewiseLinear.Segment tokens = PiecewiseLinear.Locate(_mlpTokens, shape.Tokens);
            for (int op = 0; op < times.Length; op++)
                times[op] = new OperatorTime(RooflinePerfModel.OperatorNames[op], shape.Tokens == 0 ? 0 : OperatorS(op, batch, shape, tokens));
            return times;
        }

        /// <summary>The iteration's parts outside the layers (LM head, pipeline hand-offs, overhead), from the roofline as the tables hold none.</summary>
        public IReadOnlyList<OperatorTime> OutsideLayersBreakdown(ReadOnlySpan<SequenceWork> batch) => _roofline.OutsideLayersBreakdown(batch);

        bool IsFilled(int op) =>
            op == AttnPrefill ? _prefillByChunkAndContext == null
            : op == AttnDecode ? _decodeByBatchAndContext == null
            : op == AllReduce ? _allReduceNeeded && _allReduceByBytes == null
            : _byTokens[op] == null;

        /// <param name="tokens">Where the batch's tokens fall among the MLP table's num_tokens values, shared by its curves.</param>
        double OperatorS(int op, ReadOnlySpan<SequenceWork> batch, in BatchShape shape, in PiecewiseLinear.Segment tokens)
        {
            if (op == AttnPrefill && _prefillByChunkAndContext != null) return PrefillAttentionS(batch);
            if (op == AttnDecode && _decodeByBatchAndContext != null)
                return shape.DecodeSequences == 0 ? 0 : _decodeByBatchAndContext.At(shape.DecodeSequences, shape.DecodeKvTokens / shape.DecodeSequences - 1);
            if (op == AllReduce && _allReduceByBytes != null) return 2 * (_allReduceByBytes.At(shape.Tokens * _allReduceBytesPerToken) + _collectiveLaunchS);
            PiecewiseLinear? measured = _byTokens[op];
            return measured != null ? measured.At(tokens) : _roofline.OperatorS(op, shape);
        }

        /// <summary>Each prefill chunk is its own attention call, as in the tables' prefill rows.</summary>
        double PrefillAttentionS(ReadOnlySpan<SequenceWork> batch)
        {
            double seconds = 0;
            foreach (SequenceWork sequence in batch)
                if (!sequence.IsDecode && sequence.NewTokens > 0)
                    seconds += _prefillByChunkAndContext!.At(sequence.NewTokens, sequence.ContextTokens);
            return seconds;
        }

        /// <summary>The prefill rows' time by chunk and context, or the decode rows' by batch size and context, at TP <paramref name="tp"/>; null when there are none.</summary>
        static PiecewiseLinearSurface? Surface(IReadOnlyList<AttentionProfile.Row> rows, int tp, bool prefill)
        {
            int count = 0;
            foreach (AttentionProfile.Row row in rows)
                if (row.IsPrefill == prefill && row.Tp == tp) count++;
            if (count == 0) return null;
            var sizes = new double[count];
            var contexts = new double[count];
            var seconds = new double[count];
            count = 0;
            foreach (AttentionProfile.Row row in rows)
                if (row.IsPrefill == prefill && row.Tp == tp)
                {
                    sizes[count] = prefill ? row.ChunkTokens : row.BatchSize;
                    contexts[count] = row.ContextTokens;
                    seconds[count++] = row.MedianMs * 1e-3;
                }
            return new PiecewiseLinearSurface(sizes, contexts, seconds);
        }

        static string Degrees(IEnumerable<int> degrees) =>
            string.Join(", ", degrees.Distinct().OrderBy(d => d).Select(d => d.ToString(CultureInfo.InvariantCulture)));
    }
}
