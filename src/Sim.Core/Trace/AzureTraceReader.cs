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
            string? line = lines.Next();
            if (line == null) throw new SimInputException(path, 0, "", "the trace is empty");
            var header = new CsvHeader(path, lines.LineNumber, line);
            int timestamp = header.Require(TimestampColumn), prompt = header.Require(PromptColumn), output = header.Require(OutputColumn);
            int priority = header.Optional(TraceRows.PriorityField);
            var rows = new TraceRows(path, TimestampColumn);
            long firstTicks = 0;
            while ((line = lines.Next()) != null)
            {
                int number = lines.LineNumber;
                string[] fields = header.Split(line, number);
                long ticks = Ticks(path, number, fields[timestamp]);
                if (rows.Count == 0) firstTicks = ticks;
                // Integer ticks (100 ns) keep the difference exact; one division makes it the same double everywhere.
                double arrivalS = (ticks - firstTicks) / (double)TimeSpan.TicksPerSecond;
                yield return rows.Make(number, arrivalS, rows.Tokens(number, PromptColumn, fields[prompt]), rows.Tokens(number, OutputColumn, fields[output]), null,
                    priority < 0 ? 0 : rows.Priority(number, fields[priority]));
            }
            rows.Finish();
        }

        static long Ticks(string path, int line, string text)
        {
            if (!AzureTimestamp.TryParseTicks(text.Trim(), out long ticks))
                throw new SimInputException(path, line, TimestampColumn, "'" + text + "' is not a time like 2023-11-16 18:15:46.6805900 (0 to 7 fractional digits)");
            return ticks;
        }
    }
}
