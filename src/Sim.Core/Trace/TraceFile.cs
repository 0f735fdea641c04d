using System;
using System.Collections.Generic;
using System.IO;

namespace Sim.Core.Trace
{
    /// <summary>Opens a trace file in any supported format as a lazy, validated stream of requests.</summary>
    public static class TraceFile
    {
        /// <summary>The format named by the first non-blank line: a JSON object is Mooncake, else a CSV header with TIMESTAMP (Azure) or arrived_at (Vidur).</summary>
        public static TraceFormat Detect(string path)
        {
            using InputLineReader lines = InputLineReader.Open(path, "trace");
            string? first = lines.Next();
            if (first == null) throw new SimInputException(path, 0, "", "the trace is empty");
            string trimmed = first.Trim();
            if (trimmed.StartsWith("{")) return TraceFormat.Mooncake;
            string[] columns = CsvHeader.SplitNames(trimmed);
            if (Array.IndexOf(columns, AzureTraceReader.TimestampColumn) >= 0) return TraceFormat.Azure;
            if (Array.IndexOf(columns, VidurTraceReader.ArrivalColumn) >= 0) return TraceFormat.Vidur;
            throw new SimInputException(path, lines.LineNumber, "", "unknown trace format: expected an Azure CSV header (TIMESTAMP,ContextTokens,GeneratedTokens), "
                + "a Vidur CSV header (arrived_at,num_prefill_tokens,num_decode_tokens) or Mooncake JSON lines");
        }

        /// <summary>
        /// Requests in arrival order, read lazily line by line; ids are 0-based positions. A missing file fails here;
        /// a bad line throws <see cref="SimInputException"/> when the enumeration reaches it.
        /// </summary>
        public static IEnumerable<TraceRequest> Read(string path, TraceFormat format)
        {
            if (format == TraceFormat.Auto) format = Detect(path);
            else InputFile.Require(path, "trace");
            return format switch
            {
                TraceFormat.Azure => AzureTraceReader.Read(path),
                TraceFormat.Mooncake => MooncakeTraceReader.Read(path),
                _ => VidurTraceReader.Read(path),
            };
        }
    }
}
