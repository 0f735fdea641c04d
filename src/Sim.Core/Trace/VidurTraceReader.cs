using System.Collections.Generic;
using System.IO;

namespace Sim.Core.Trace
{
    /// <summary>Vidur request CSV: <c>arrived_at</c> in seconds, <c>num_prefill_tokens</c>, <c>num_decode_tokens</c>; other columns ignored.</summary>
    internal static class VidurTraceReader
    {
        public const string ArrivalColumn = "arrived_at";
        const string PromptColumn = "num_prefill_tokens";
        const string OutputColumn = "num_decode_tokens";

        public static IEnumerable<TraceRequest> Read(string path)
        {
            using StreamReader reader = TraceFile.Open(path);
            string? line = reader.ReadLine();
            if (line == null) throw new SimInputException(path, 0, "", "the trace is empty");
            var header = new CsvHeader(path, line);
            int arrival = header.Require(ArrivalColumn), prompt = header.Require(PromptColumn), output = header.Require(OutputColumn);
            var rows = new TraceRows(path, ArrivalColumn);
            int number = 1;
            while ((line = reader.ReadLine()) != null)
            {
                number++;
                if (line.Trim().Length == 0) continue;
                string[] fields = header.Split(line, number);
                yield return rows.Make(number, rows.Number(number, ArrivalColumn, fields[arrival]),
                    rows.Tokens(number, PromptColumn, fields[prompt]), rows.Tokens(number, OutputColumn, fields[output]), null);
            }
            rows.Finish();
        }
    }
}
