using System;
using System.Collections.Generic;

namespace Sim.Core.PerfModel
{
    /// <summary>
    /// A Vidur <c>attention.csv</c> profile: one row per measured attention call of one layer. Prefill rows
    /// (<c>is_prefill</c> True) time one sequence's chunk of <c>prefill_chunk_size</c> new tokens after
    /// <c>kv_cache_size</c> cached ones (<c>time_stats.attn_prefill.median</c>); decode rows time a batch of
    /// <c>batch_size</c> decodes, each after <c>kv_cache_size</c> cached tokens (<c>time_stats.attn_decode.median</c>).
    /// The other kind's timing column may be empty. Columns are found by name.
    /// </summary>
    internal sealed class AttentionProfile
    {
        AttentionProfile(string path, Row[] rows, int count)
        {
            Path = path;
            Rows = new ArraySegment<Row>(rows, 0, count);
        }

        public string Path { get; }

        public IReadOnlyList<Row> Rows { get; }

        /// <param name="maxRows">Stop after this many rows (a first row tells another model's table from this model's).</param>
        public static AttentionProfile Read(string path, int maxRows = int.MaxValue)
        {
            using InputLineReader lines = InputLineReader.Open(path, "profile");
            string header = lines.Next() ?? throw new SimInputException(path, 1, "", "empty file; expected a Vidur attention.csv header");
            var columns = new CsvHeader(path, lines.LineNumber, header);
            int hidden = columns.Require("n_embd"), heads = columns.Require("n_q_head"), kvHeads = columns.Require("n_kv_head");
            int tp = columns.Require("num_tensor_parallel_workers"), batch = columns.Require("batch_size");
            int chunk = columns.Require("prefill_chunk_size"), context = columns.Require("kv_cache_size"), isPrefill = columns.Require("is_prefill");
            int prefillMs = columns.Require("time_stats.attn_prefill.median"), decodeMs = columns.Require("time_stats.attn_decode.median");
            Row[] rows = Array.Empty<Row>();
            int count = 0;
            int[] starts = columns.NewFieldStarts();
            while (count < maxRows && lines.NextLine(out ReadOnlySpan<char> line))
            {
                int lineNumber = lines.LineNumber;
                if (count == rows.Length) Array.Resize(ref rows, count == 0 ? EstimatedRows(lines.LengthBytes, header.Length, line.Length, maxRows) : 2 * count);
                columns.Split(line, lineNumber, starts);
                bool prefill = columns.Flag(line, starts, isPrefill, lineNumber);
                rows[count++] = new Row
                {
                    Line = lineNumber,
                    HiddenSize = columns.PositiveInt(line, starts, hidden, lineNumber),
                    Heads = columns.PositiveInt(line, starts, heads, lineNumber),
                    KvHeads = columns.PositiveInt(line, starts, kvHeads, lineNumber),
                    Tp = columns.PositiveInt(line, starts, tp, lineNumber),
                    IsPrefill = prefill,
                    BatchSize = columns.PositiveInt(line, starts, batch, lineNumber),
                    // A prefill's chunk is at least one token; a decode row's chunk column is unused (often 0).
                    ChunkTokens = prefill ? columns.PositiveInt(line, starts, chunk, lineNumber) : 0,
                    ContextTokens = columns.NonNegativeInt(line, starts, context, lineNumber),
                    MedianMs = columns.PositiveDouble(line, starts, prefill ? prefillMs : decodeMs, lineNumber),
                };
            }
            return new AttentionProfile(path, rows, count);
        }

        /// <summary>
        /// Room for the rows, from the file's size over its first data line's (a quarter more, as later lines' numbers run longer),
        /// so that the table's one array is mostly made once: its rows are structs, not an object each for a collection during a
        /// run's build to mark and copy.
        /// </summary>
        static int EstimatedRows(long? fileBytes, int headerChars, int firstLineChars, int maxRows)
        {
            long estimate = fileBytes.HasValue ? (fileBytes.Value - headerChars) / (firstLineChars + 1) * 5 / 4 + 16 : 16;
            return (int)Math.Max(1, Math.Min(Math.Min(estimate, maxRows), 1 << 24));
        }

        public struct Row
        {
            public int Line { get; set; }
            public int HiddenSize { get; set; }
            public int Heads { get; set; }
            public int KvHeads { get; set; }
            public int Tp { get; set; }
            public bool IsPrefill { get; set; }

            /// <summary>Decodes in the batch (1 for prefill rows).</summary>
            public int BatchSize { get; set; }

            /// <summary>New tokens of the prefill chunk (0 for decode rows).</summary>
            public int ChunkTokens { get; set; }

            /// <summary>Tokens already cached before this call, per sequence.</summary>
            public int ContextTokens { get; set; }

            public double MedianMs { get; set; }
        }
    }
}
