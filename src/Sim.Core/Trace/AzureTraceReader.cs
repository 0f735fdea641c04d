using System;
using System.Collections.Generic;

namespace Sim.Core.Trace
{
    /// <summary>Azure LLM inference trace CSV: wall-clock <c>TIMESTAMP</c>; arrival = seconds since the first row; an optional <c>priority</c> column.</summary>
    internal static class AzureTraceReader
    {
        public const string TimestampColumn = "TIMESTAMP";
        const string PromptColumn = "ContextTokens";
        const string OutputColumn = "GeneratedTokens";

        public static IEnumerable<TraceRequest> Read(string path)
        {
            using InputLineReader lines = InputLineReader.Open(path, "trace");
            string? headerLine = lines.Next();
            if (headerLine == null) throw new SimInputException(path, 0, "", "the trace is empty");
            var header = new CsvHeader(path, lines.LineNumber, headerLine);
            int timestamp = header.Require(TimestampColumn), prompt = header.Require(PromptColumn), output = header.Require(OutputColumn);
            int priority = header.Optional(TraceRows.PriorityField);
            var rows = new TraceRows(path, TimestampColumn);
            int[] starts = header.NewFieldStarts();
            long firstTicks = 0;
            while (lines.NextLine(out ReadOnlySpan<char> line))
            {
                int number = lines.LineNumber;
                header.Split(line, number, starts);
                long ticks = Ticks(path, number, CsvHeader.Field(line, starts, timestamp));
                if (rows.Count == 0) firstTicks = ticks;
                // Integer ticks (100 ns) keep the difference exact; one division makes it the same double everywhere.
                double arrivalS = (ticks - firstTicks) / (double)TimeSpan.TicksPerSecond;
                int promptTokens = rows.Tokens(number, PromptColumn, CsvHeader.Field(line, starts, prompt));
                int outputTokens = rows.Tokens(number, OutputColumn, CsvHeader.Field(line, starts, output));
                int priorityClass = priority < 0 ? 0 : rows.Priority(number, CsvHeader.Field(line, starts, priority));
                yield return rows.Make(number, arrivalS, promptTokens, outputTokens, null, priorityClass);
            }
            rows.Finish();
        }

        static long Ticks(string path, int line, ReadOnlySpan<char> text)
        {
            if (!AzureTimestamp.TryParseTicks(text.Trim(), out long ticks))
                throw new SimInputException(path, line, TimestampColumn, "'" + text.ToString() + "' is not a time like 2023-11-16 18:15:46.6805900 (0 to 7 fractional digits)");
            return ticks;
        }
    }
}
