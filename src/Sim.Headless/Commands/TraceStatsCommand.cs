using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using Sim.Core;
using Sim.Core.Metrics;
using Sim.Core.Scenes;
using Sim.Core.Trace;
using Sim.Headless.Output;
using Spectre.Console;
using Sim.Headless.CommandLine;

namespace Sim.Headless.Commands
{
    /// <summary><c>sim trace stats PATH</c>: counts, arrival rate, token quantiles and prefix reuse of a trace.</summary>
    public sealed class TraceStatsCommand : Command<TraceStatsCommand.Settings>
    {
        public sealed class Settings : CommandSettings
        {
            [CommandArgument(0, "<PATH>")]
            [Description("Trace file.")]
            public string Path { get; set; } = "";

            [CommandOption("--trace-format <FORMAT>")]
            [Description("auto, azure, mooncake or vidur.")]
            public string Format { get; set; } = "auto";

            [CommandOption("--cache-tokens <N>")]
            [Description("Also replay an LRU prefix cache of N tokens (repeatable; traces with hash_ids).")]
            public long[] CacheTokens { get; set; } = Array.Empty<long>();

            [CommandOption("--json")]
            [Description("Print JSON instead of a table.")]
            public bool Json { get; set; }
        }

        public override int Execute(Settings settings)
        {
            if (Array.IndexOf(new[] { "auto", "azure", "mooncake", "vidur" }, settings.Format) < 0)
                throw new SimInputException("<flag>", 0, "--trace-format", "unknown format '" + settings.Format + "'; use auto, azure, mooncake or vidur");
            foreach (long tokens in settings.CacheTokens)
                if (tokens < 1) throw new SimInputException("<flag>", 0, "--cache-tokens", tokens.ToString(CultureInfo.InvariantCulture) + " tokens; a cache needs at least 1");
            TraceStats stats = TraceStats.Compute(TraceFile.Read(settings.Path, SceneLoader.ParseFormat(settings.Format)), settings.CacheTokens);
            if (settings.Json) WriteJson(stats);
            else WriteTable(stats);
            return 0;
        }

        static void WriteJson(TraceStats stats)
        {
            var buffer = new System.IO.MemoryStream();
            using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            json.WriteNumber("count", stats.Count);
            json.WriteNumber("duration_s", stats.DurationS);
            json.WriteNumber("arrival_rate_per_s", stats.ArrivalRatePerS);
            WriteTokens(json, "prompt_tokens", stats.PromptTokens, stats.TotalPromptTokens);
            WriteTokens(json, "output_tokens", stats.OutputTokens, stats.TotalOutputTokens);
            if (stats.HasPrefixHashes)
            {
                json.WriteStartObject("prefix_reuse");
                json.WriteNumber("infinite_cache_hit_token_ratio", stats.InfiniteCacheHitTokenRatio);
                json.WriteStartObject("lru");
                foreach (KeyValuePair<long, double> size in stats.LruHitTokenRatio) json.WriteNumber(size.Key.ToString(CultureInfo.InvariantCulture), size.Value);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.Flush();
            Console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        }

        static void WriteTokens(Utf8JsonWriter json, string name, Distribution d, long total)
        {
            json.WriteStartObject(name);
            json.WriteNumber("total", total);
            json.WriteNumber("mean", d.Mean);
            json.WriteNumber("p50", d.P50);
            json.WriteNumber("p90", d.P90);
            json.WriteNumber("p99", d.P99);
            json.WriteNumber("max", d.Max);
            json.WriteEndObject();
        }

        static void WriteTable(TraceStats stats)
        {
            IAnsiConsole console = Terminal.Stdout();
            console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0} requests over {1:F1} s ({2:F2} requests/s)", stats.Count, stats.DurationS, stats.ArrivalRatePerS));
            var table = new Table().AddColumns("tokens", "total", "mean", "p50", "p90", "p99", "max");
            AddRow(table, "prompt", stats.PromptTokens, stats.TotalPromptTokens);
            AddRow(table, "output", stats.OutputTokens, stats.TotalOutputTokens);
            console.Write(table);
            if (!stats.HasPrefixHashes) return;
            var reuse = new Table().AddColumns("prefix cache", "blocks of 512", "hit tokens / prompt tokens");
            reuse.AddRow("unbounded", "-", Percent(stats.InfiniteCacheHitTokenRatio));
            foreach (KeyValuePair<long, double> size in stats.LruHitTokenRatio)
                reuse.AddRow("LRU of " + size.Key.ToString(CultureInfo.InvariantCulture) + " tokens",
                    (size.Key / PrefixBlockCache.BlockTokens).ToString(CultureInfo.InvariantCulture), Percent(size.Value));
            console.Write(reuse);
        }

        static string Percent(double ratio) => (ratio * 100).ToString("F2", CultureInfo.InvariantCulture) + "%";

        static void AddRow(Table table, string name, Distribution d, long total) => table.AddRow(name,
            total.ToString(CultureInfo.InvariantCulture), d.Mean.ToString("F1", CultureInfo.InvariantCulture),
            d.P50.ToString(CultureInfo.InvariantCulture), d.P90.ToString(CultureInfo.InvariantCulture),
            d.P99.ToString(CultureInfo.InvariantCulture), d.Max.ToString(CultureInfo.InvariantCulture));
    }
}
