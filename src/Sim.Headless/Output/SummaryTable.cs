using System.Globalization;
using Sim.Core.Metrics;
using Spectre.Console;

namespace Sim.Headless.Output
{
    /// <summary>The readable summary printed on stdout after a run.</summary>
    public static class SummaryTable
    {
        public static void Print(IAnsiConsole console, RunSummary s, string outDir)
        {
            console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "{0}: {1} requests ({2} completed, {3} rejected), {4} iterations, makespan {5:F1} s, simulated in {6:F2} s",
                s.Scene, s.RequestsTotal, s.RequestsCompleted, s.RequestsRejected, s.Iterations, s.MakespanS, s.WallS));
            var latency = new Table().AddColumns("latency (s)", "mean", "p50", "p90", "p99", "max");
            AddRow(latency, "TTFT", s.TtftS);
            AddRow(latency, "TBT", s.TbtS);
            AddRow(latency, "E2E", s.E2eS);
            AddRow(latency, "queue", s.QueueS);
            console.Write(latency);
            console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "throughput {0:F2} req/s, {1:F0} output tok/s, {2:F0} total tok/s; goodput {3:F2} req/s ({4:P1} within SLO)",
                s.RequestsPerS, s.OutputTokensPerS, s.TotalTokensPerS, s.GoodputRequestsPerS, s.FractionWithinSlo));
            console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "KV {0} tokens, peak {1:P1}, mean {2:P1}; {3} preemptions",
                s.KvCapacityTokens, s.KvPeakUtilization, s.KvMeanUtilization, s.Preemptions));
            if (s.PrefixHitTokens > 0)
                console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                    "prefix cache: {0:P1} of prompt tokens reused ({1} from HBM, {2} from host, {3} from SSD)",
                    (double)s.PrefixHitTokens / s.PromptTokens, s.PrefixHitTokens - s.HostHitTokens - s.SsdHitTokens, s.HostHitTokens, s.SsdHitTokens));
            console.WriteLine("outputs in " + outDir);
        }

        static void AddRow(Table table, string name, Distribution d) => table.AddRow(
            name, Format(d.Mean), Format(d.P50), Format(d.P90), Format(d.P99), Format(d.Max));

        static string Format(double seconds) => seconds.ToString("F4", CultureInfo.InvariantCulture);
    }
}
