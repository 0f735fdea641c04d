using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Sim.Core.Trace
{
    /// <summary>Azure LLM inference trace CSV: wall-clock <c>TIMESTAMP</c>; arrival = seconds since the first row.</summary>
    internal static class AzureTraceReader
    {
        public const string TimestampColumn = "TIMESTAMP";
        const string PromptColumn = "ContextTokens";
        const string OutputColumn = "GeneratedTokens";

        static readonly string[] TimestampFormats =
        {
            "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.f", "yyyy-MM-dd HH:mm:ss.ff", "yyyy-MM-dd HH:mm:ss.fff",
            "yyyy-MM-dd HH:mm:ss.ffff", "yyyy-MM-dd HH:mm:ss.fffff", "yyyy-MM-dd HH:mm:ss.ffffff", "yyyy-MM-dd HH:mm:ss.fffffff",
        };

        public static IEnumerable<TraceRequest> Read(string path)
        {
            using StreamReader reader = TraceFile.Open(path);
            string? line = reader.ReadLine();
            if (line == null) throw new SimInputException(path, 0, "", "the trace is empty");
            var header = new CsvHeader(path, line);
            int timestamp = header.Require(TimestampColumn), prompt = header.Require(PromptColumn), output = header.Require(OutputColumn);
            var rows = new TraceRows(path, TimestampColumn);
            long firstTicks = 0;
            int number = 1;
            while ((line = reader.ReadLine()) != null)
            {
                number++;
                if (line.Trim().Length == 0) continue;
                string[] fields = header.Split(line, number);
                long ticks = Ticks(path, number, fields[timestamp]);
                if (rows.Count == 0) firstTicks = ticks;
                // Integer ticks (100 ns) keep the arrival exact and identical on every machine.
                double arrivalS = (ticks - firstTicks) / (double)TimeSpan.TicksPerSecond;
                yield return rows.Make(number, arrivalS, rows.Tokens(number, PromptColumn, fields[prompt]), rows.Tokens(number, OutputColumn, fields[output]), null);
            }
            rows.Finish();
        }

        static long Ticks(string path, int line, string text)
        {
            if (!DateTime.TryParseExact(text.Trim(), TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime time))
                throw new SimInputException(path, line, TimestampColumn, "'" + text + "' is not a time like 2023-11-16 18:15:46.6805900");
            return time.Ticks;
        }
    }
}
