using System.Collections.Generic;

namespace Sim.Core.Trace
{
    /// <summary>Vidur request CSV: <c>arrived_at</c> in seconds, <c>num_prefill_tokens</c>, <c>num_decode_tokens</c>, an optional <c>priority</c>; other columns ignored.</summary>
    internal static class VidurTraceReader
    {
        public const string ArrivalColumn = "arrived_at";
        const string PromptColumn = "num_prefill_tokens";
        const string OutputColumn = "num_decode_tokens";

        public static IEnumerable<TraceRequest> Read(string path)
        {
            using InputLineReader lines = InputLineReader.Open(path, "trace");
            string? line = lines.Next();
            if (line == null) throw new SimInputException(path, 0, "", "the trace is empty");
            var header = new CsvHeader(path, lines.LineNumber, line);
            int arrival = header.Require(ArrivalColumn), prompt = header.Require(PromptColumn), output = header.Require(OutputColumn);
            int priority = header.Optional(TraceRows.PriorityField);
            var rows = new TraceRows(path, ArrivalColumn);
            while ((line = lines.Next()) != null)
            {
                int number = lines.LineNumber;
                string[] fields = header.Split(line, number);
                yield return rows.Make(number, rows.Timestamp(number, ArrivalColumn, fields[arrival]),
                    rows.Tokens(number, PromptColumn, fields[prompt]), rows.Tokens(number, OutputColumn, fields[output]), null,
                    priority < 0 ? 0 : rows.Priority(number, fields[priority]));
            }
            rows.Finish();
        }
    }
}
