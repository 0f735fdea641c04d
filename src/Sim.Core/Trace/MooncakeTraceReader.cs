using System;
using System.Collections.Generic;
using System.IO;

namespace Sim.Core.Trace
{
    /// <summary>
    /// Mooncake JSON lines: <c>timestamp</c> (ms from start), <c>input_length</c>, <c>output_length</c> and
    /// <c>hash_ids</c> (the prompt's 512-token prefix blocks), kept on the request for prefix-reuse studies.
    /// </summary>
    internal static class MooncakeTraceReader
    {
        public static IEnumerable<TraceRequest> Read(string path)
        {
            using StreamReader reader = TraceFile.Open(path);
            var rows = new TraceRows(path, "timestamp");
            string? line;
            int number = 0;
            while ((line = reader.ReadLine()) != null)
            {
                number++;
                if (line.Trim().Length == 0) continue;
                FlatJsonObject json;
                try
                {
                    json = FlatJsonObject.Parse(line);
                }
                catch (FormatException e)
                {
                    throw new SimInputException(path, number, "", "not a JSON object: " + e.Message);
                }
                double timestampMs = rows.Number(number, "timestamp", Field(json, path, number, "timestamp"));
                int prompt = rows.Tokens(number, "input_length", Field(json, path, number, "input_length"));
                int output = rows.Tokens(number, "output_length", Field(json, path, number, "output_length"));
                yield return rows.Make(number, timestampMs / 1000, prompt, output, HashIds(json, path, number));
            }
            rows.Finish();
        }

        static double Field(FlatJsonObject json, string path, int line, string key) =>
            json.Numbers.TryGetValue(key, out double value) ? value : throw new SimInputException(path, line, key, "missing number");

        static int[]? HashIds(FlatJsonObject json, string path, int line)
        {
            if (!json.Arrays.TryGetValue("hash_ids", out List<double>? values)) return null;
            var ids = new int[values.Count];
            for (int i = 0; i < ids.Length; i++)
            {
                double v = values[i];
                if (v != Math.Floor(v) || v < int.MinValue || v > int.MaxValue)
                    throw new SimInputException(path, line, "hash_ids", "element " + i + " is not a 32-bit integer");
                ids[i] = (int)v;
            }
            return ids;
        }
    }
}
