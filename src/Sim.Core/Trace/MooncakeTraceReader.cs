using System;
using System.Collections.Generic;

namespace Sim.Core.Trace
{
    /// <summary>
    /// Mooncake JSON lines: <c>timestamp</c> (ms from start), <c>input_length</c>, <c>output_length</c> and
    /// <c>hash_ids</c> (the prompt's 512-token prefix blocks), kept on the request for prefix-reuse studies, and an
    /// optional <c>priority</c> class.
    /// Keys may come in any order; other keys are ignored.
    /// </summary>
    internal static class MooncakeTraceReader
    {
        const string TimestampKey = "timestamp";
        const string PromptKey = "input_length";
        const string OutputKey = "output_length";
        const string HashIdsKey = "hash_ids";

        public static IEnumerable<TraceRequest> Read(string path)
        {
            using InputLineReader lines = InputLineReader.Open(path, "trace");
            var rows = new TraceRows(path, TimestampKey);
            string? line;
            while ((line = lines.Next()) != null)
            {
                int number = lines.LineNumber;
                FlatJsonObject json;
                try
                {
                    json = FlatJsonObject.Parse(line);
                }
                catch (FormatException e)
                {
                    throw new SimInputException(path, number, "", "not a JSON object: " + e.Message);
                }
                double timestampMs = rows.Timestamp(number, TimestampKey, Number(json, path, number, TimestampKey));
                int prompt = rows.Tokens(number, PromptKey, Number(json, path, number, PromptKey));
                int output = rows.Tokens(number, OutputKey, Number(json, path, number, OutputKey));
                int priority = json.HasKey(TraceRows.PriorityField) ? rows.Priority(number, Number(json, path, number, TraceRows.PriorityField)) : 0;
                yield return rows.Make(number, timestampMs / 1000, prompt, output, HashIds(json, path, number), priority);
            }
            rows.Finish();
        }

        static double Number(FlatJsonObject json, string path, int line, string key)
        {
            if (json.TryGetNumber(key, out double value)) return value;
            throw new SimInputException(path, line, key, json.HasKey(key) ? "must be a number" : "missing");
        }

        static int[]? HashIds(FlatJsonObject json, string path, int line)
        {
            if (!json.HasKey(HashIdsKey)) return null;
            if (!json.TryGetNumberArray(HashIdsKey, out List<double>? values))
                throw new SimInputException(path, line, HashIdsKey, "must be an array of integers");
            var ids = new int[values.Count];
            for (int i = 0; i < ids.Length; i++)
            {
                double v = values[i];
                if (v != Math.Floor(v) || v < int.MinValue || v > int.MaxValue)
                    throw new SimInputException(path, line, HashIdsKey, "element " + i + " is not a 32-bit integer");
                ids[i] = (int)v;
            }
            return ids;
        }
    }
}
