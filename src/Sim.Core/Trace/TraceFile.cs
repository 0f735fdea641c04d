using System.Collections.Generic;
using System.IO;

namespace Sim.Core.Trace
{
    /// <summary>Opens a trace file in any supported format as a lazy, validated stream of requests.</summary>
    public static class TraceFile
    {
        public static TraceFormat Detect(string path)
        {
            using StreamReader reader = Open(path);
            string? line;
            int number = 0;
            while ((line = reader.ReadLine()) != null)
            {
                number++;
                line = line.Trim();
                if (line.Length == 0) continue;
                if (line.StartsWith("{")) return TraceFormat.Mooncake;
                string[] columns = line.Split(',');
                if (CsvHeader.Contains(columns, AzureTraceReader.TimestampColumn)) return TraceFormat.Azure;
                if (CsvHeader.Contains(columns, VidurTraceReader.ArrivalColumn)) return TraceFormat.Vidur;
                throw new SimInputException(path, number, "", "unknown trace format: expected an Azure CSV header (TIMESTAMP,ContextTokens,GeneratedTokens), "
                    + "a Vidur CSV header (arrived_at,num_prefill_tokens,num_decode_tokens) or Mooncake JSON lines");
            }
            throw new SimInputException(path, 0, "", "the trace is empty");
        }

        /// <summary>Requests in arrival order; a bad line throws <see cref="SimInputException"/> when reached.</summary>
        public static IEnumerable<TraceRequest> Read(string path, TraceFormat format)
        {
            if (format == TraceFormat.Auto) format = Detect(path);
            else if (!File.Exists(path)) throw new SimInputException(path, 0, "", "trace file not found");
            return format switch
            {
                TraceFormat.Azure => AzureTraceReader.Read(path),
                TraceFormat.Mooncake => MooncakeTraceReader.Read(path),
                _ => VidurTraceReader.Read(path),
            };
        }

        internal static StreamReader Open(string path)
        {
            if (!File.Exists(path)) throw new SimInputException(path, 0, "", "trace file not found");
            return new StreamReader(path);
        }
    }
}
