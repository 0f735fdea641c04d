using System;
using System.Collections.Generic;

namespace Sim.Core.PerfModel
{
    /// <summary>
    /// A Vidur <c>*_mlp.csv</c> operator profile: one row per (num_tokens, TP degree) with the measured median of
    /// each operator of one decoder layer in milliseconds, and the model's shape. Columns are found by name.
    /// </summary>
    internal sealed class MlpProfile
    {
        /// <summary>The operators the profile measures that the roofline model also predicts.</summary>
        public static readonly string[] Operators =
        {
            "input_layernorm", "attn_pre_proj", "attn_rope", "attn_post_proj", "post_attention_layernorm",
            "mlp_up_proj", "mlp_act", "mlp_down_proj", "add",
        };

        MlpProfile(string path, List<Row> rows)
        {
            Path = path;
            Rows = rows;
        }

        public string Path { get; }

        public IReadOnlyList<Row> Rows { get; }

        /// <param name="maxRows">Stop after this many rows (a first row tells another model's table from this model's).</param>
        public static MlpProfile Read(string path, int maxRows = int.MaxValue)
        {
            using InputLineReader lines = InputLineReader.Open(path, "profile");
            string header = lines.Next() ?? throw new SimInputException(path, 1, "", "empty file; expected a Vidur mlp.csv header");
            var columns = new CsvHeader(path, lines.LineNumber, header);
            int heads = columns.Require("n_head"), kvHeads = columns.Require("n_kv_head"), hidden = columns.Require("n_embd");
            int intermediate = columns.Require("n_expanded_embd"), vocab = columns.Require("vocab_size"), gated = columns.Require("use_gated_mlp");
            int tokens = columns.Require("num_tokens"), tp = columns.Require("num_tensor_parallel_workers");
            var medians = new int[Operators.Length];
            for (int op = 0; op < Operators.Length; op++) medians[op] = columns.Require("time_stats." + Operators[op] + ".median");

            var rows = new List<Row>();
            int[] starts = columns.NewFieldStarts();
            string id = System.IO.Path.GetFileNameWithoutExtension(path);
            while (rows.Count < maxRows && lines.NextLine(out ReadOnlySpan<char> line))
            {
                int lineNumber = lines.LineNumber;
                columns.Split(line, lineNumber, starts);
                var model = new ModelSpec
                {
                    Id = id,
                    Layers = 1,
                    Heads = columns.PositiveInt(line, starts, heads, lineNumber),
                    KvHeads = columns.PositiveInt(line, starts, kvHeads, lineNumber),
                    HiddenSize = columns.PositiveInt(line, starts, hidden, lineNumber),
                    IntermediateSize = columns.PositiveInt(line, starts, intermediate, lineNumber),
                    VocabSize = columns.PositiveInt(line, starts, vocab, lineNumber),
                    GatedMlp = columns.Flag(line, starts, gated, lineNumber),
                };
                model.HeadDim = model.HiddenSize / model.Heads;
                model.KvElementsPerTokenPerLayer = 2 * model.KvHeads * model.HeadDim;
                var timesMs = new double[Operators.Length];
                for (int op = 0; op < Operators.Length; op++) timesMs[op] = columns.PositiveDouble(line, starts, medians[op], lineNumber);
                rows.Add(new Row(lineNumber, model, columns.PositiveInt(line, starts, tokens, lineNumber), columns.PositiveInt(line, starts, tp, lineNumber), timesMs));
            }
            return new MlpProfile(path, rows);
        }

        /// <summary>One profiled shape: the model, the tokens in the batch, the TP degree and the measured times.</summary>
        public sealed class Row
        {
            public Row(int line, ModelSpec model, int tokens, int tp, double[] medianMs)
            {
                Line = line;
                Model = model;
                Tokens = tokens;
                Tp = tp;
                MedianMs = medianMs;
            }

            /// <summary>The row's line in the file, for error messages.</summary>
            public int Line { get; }

            /// <summary>The shape the row was measured with (one decoder layer).</summary>
            public ModelSpec Model { get; }

            public int Tokens { get; }

            public int Tp { get; }

            /// <summary>Measured median per operator, indexed like <see cref="Operators"/>.</summary>
            public IReadOnlyList<double> MedianMs { get; }
        }
    }
}
