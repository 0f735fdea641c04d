using System;
using System.Collections.Generic;

namespace Sim.Core.PerfModel
{
    /// <summary>
    /// A Vidur all-reduce profile (<c>all_reduce_*.csv</c>): the measured median time in milliseconds of one
    /// all-reduce of <c>size</c> bytes over <c>num_workers</c> GPUs. Columns are found by name.
    /// </summary>
    internal sealed class AllReduceProfile
    {
        AllReduceProfile(string path, List<Row> rows)
        {
            Path = path;
            Rows = rows;
        }

        public string Path { get; }

        public IReadOnlyList<Row> Rows { get; }

        public static AllReduceProfile Read(string path)
        {
            using InputLineReader lines = InputLineReader.Open(path, "profile");
            string header = lines.Next() ?? throw new SimInputException(path, 1, "", "empty file; expected a Vidur all-reduce profile header");
            var columns = new CsvHeader(path, lines.LineNumber, header);
            int workers = columns.Require("num_workers"), size = columns.Require("size"), median = columns.Require("time_stats.all_reduce.median");
            var rows = new List<Row>();
            int[] starts = columns.NewFieldStarts();
            while (lines.NextLine(out ReadOnlySpan<char> line))
            {
                int lineNumber = lines.LineNumber;
                columns.Split(line, lineNumber, starts);
                rows.Add(new Row(
                    columns.PositiveInt(line, starts, workers, lineNumber),
                    columns.PositiveDouble(line, starts, size, lineNumber),
                    columns.PositiveDouble(line, starts, median, lineNumber)));
            }
            return new AllReduceProfile(path, rows);
        }

        /// <summary>One measured size (a class: a list of a struct from this assembly is generic code compiled at start).</summary>
        public sealed class Row
        {
            public Row(int workers, double bytes, double medianMs)
            {
                Workers = workers;
                Bytes = bytes;
                MedianMs = medianMs;
            }

            public int Workers { get; }

            public double Bytes { get; }

            public double MedianMs { get; }
        }
    }
}
