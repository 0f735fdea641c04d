using System;
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
            string? headerLine = lines.Next();
            if (headerLine == null) throw new SimInputException(path, 0, "", "the trace is empty");
            var header = new CsvHeader(path, lines.LineNumber, headerLine);
            int arrival = header.Require(ArrivalColumn), prompt = header.Require(PromptColumn), output = header.Require(OutputColumn);
            int priority = header.Optional(TraceRows.PriorityField);
            var rows = new TraceRows(path, ArrivalColumn);
            int[] starts = header.NewFieldStarts();
            while (lines.NextLine(out ReadOnlySpan<char> line))
            {
                int number = lines.LineNumber;
                header.Split(line, number, starts);
                double arrivalS = rows.Timestamp(number, ArrivalColumn, CsvHeader.Field(line, starts, arrival));
                int promptTokens = rows.Tokens(number, PromptColumn, CsvHeader.Field(line, starts, prompt));
                int outputTokens = rows.Tokens(number, OutputColumn, CsvHeader.Field(line, starts, output));
                int priorityClass = priority < 0 ? 0 : rows.Priority(number, CsvHeader.Field(line, starts, priority));
                yield return rows.Make(number, arrivalS, promptTokens, outputTokens, null, priorityClass);
            }
            rows.Finish();
        }
    }
}
