using System;
using System.IO;
using Sim.Core;
using Sim.Core.Metrics;

namespace Sim.Headless.Output
{
    /// <summary><c>--iterations none|csv|parquet</c>: how (and whether) the run writes its per-iteration rows.</summary>
    public enum IterationsFormat
    {
        None,
        Csv,
        Parquet,
    }

    internal static class IterationsFormats
    {
        public static IterationsFormat Parse(string text) => text switch
        {
            "none" => IterationsFormat.None,
            "csv" => IterationsFormat.Csv,
            "parquet" => IterationsFormat.Parquet,
            _ => throw new SimInputException("--iterations", 0, text, "unknown format; use none, csv or parquet"),
        };

        /// <summary>The writer for <paramref name="format"/> in <paramref name="outputs"/>, or null for <see cref="IterationsFormat.None"/>.</summary>
        public static IIterationSink? Open(IterationsFormat format, OutputTransaction outputs) => format switch
        {
            // Formatted on a thread of its own beside the run's loop.
            IterationsFormat.Csv => new IterationWriterThread(new IterationsCsv(outputs.Create("iterations.csv"))),
            // The caller hands a parquet run to the JIT build first; checked here too, so the native binary leaves Parquet.Net out.
            IterationsFormat.Parquet => JitCommands.IsAvailable ? new IterationsParquet(outputs.Create("iterations.parquet"))
                : throw new InvalidOperationException("iterations.parquet is written by the JIT build"),
            _ => null,
        };
    }
}
