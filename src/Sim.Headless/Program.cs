using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using Sim.Core;
using Sim.Headless.Cluster;
using Sim.Headless.CommandLine;
using Sim.Headless.Commands;
using Sim.Headless.Output;
using Sim.Vulkan;

namespace Sim.Headless
{
    /// <summary>
    /// The <c>sim</c> entry point. Whatever goes wrong prints one line: user mistakes exit 2, a failed compute device
    /// or an unwritable output 3, a bug 1; <c>--verbose</c> (any command) adds the exception's full detail.
    /// </summary>
    public static class Program
    {
        public const string VerboseFlag = "--verbose";

        /// <summary>When Main began (a <see cref="Stopwatch"/> timestamp and the UTC time), for <c>sim run --timings</c>.</summary>
        internal static long MainTicks { get; private set; }
        internal static DateTime MainUtc { get; private set; }

        /// <summary>The command line as given (<c>--verbose</c> included), for <see cref="JitCompanion"/>.</summary>
        internal static string[] Arguments { get; private set; } = Array.Empty<string>();

        public static int Main(string[] args)
        {
            MainTicks = Stopwatch.GetTimestamp();
            MainUtc = DateTime.UtcNow;
            Arguments = args;
            bool verbose = args.Contains(VerboseFlag);
            args = args.Where(arg => arg != VerboseFlag).ToArray();
            using Interrupts interrupts = Interrupts.Install();
            TextWriter stdout = Console.Out;
            Console.SetOut(new CheckedStdout(stdout));
            var app = new CommandLineApp(Commands());
            try
            {
                // Help goes to the (checked) Console.Out of this call.
                int code = app.Run(args, Terminal.Stdout());
                Console.Out.Flush();
                return code;
            }
            catch (Exception e)
            {
                (int code, string line) = Describe(Unwrap(e));
                Console.Error.WriteLine("error: " + OneLine(line));
                if (verbose) Console.Error.WriteLine(e.ToString());
                return code;
            }
            finally
            {
                Console.SetOut(stdout);
            }
        }

        /// <summary>Every command, in the order <c>sim --help</c> lists them.</summary>
        internal static CommandGroup Commands() => new CommandGroup("sim", "")
            .Add(CommandDefinition.Of<RunCommand, RunCommand.Settings>("run", "Replay a trace through a scene and write summary.json, requests.csv, iterations.csv"))
            .Add(new CommandGroup("trace", "Inspect traces")
                .Add(CommandDefinition.Of<TraceStatsCommand, TraceStatsCommand.Settings>("stats", "Counts, rates, token quantiles and prefix reuse of a trace")))
            .Add(CommandDefinition.Of<PerfCommand, PerfCommand.Settings>("perf", "Per-layer step-time breakdown from the perf model"))
            .Add(CommandDefinition.Of<CalibrateCommand, CalibrateCommand.Settings>("calibrate", "Fit a GPU's roofline efficiency factors to measured operator tables"))
            .Add(CommandDefinition.Of<SweepCommand, SweepCommand.Settings>("sweep", "Run a grid of scene overrides in parallel: sweep.csv and plots"))
            .Add(CommandDefinition.Of<WorkerCommand, WorkerCommand.Settings>("worker", "Run sweep and capacity points for --cluster clients (an Orleans silo), until stopped"))
            .Add(CommandDefinition.Of<CapacityCommand, CapacityCommand.Settings>("capacity", "The highest arrival rate that meets an SLO, by search over the time scale"))
            .Add(CommandDefinition.Of<ViewCommand, ViewCommand.Settings>("view", "Step through a scene in the browser: batches, queues, KV pages, experts, latencies"))
            .Add(CommandDefinition.Of<ValidateCommand, ValidateCommand.Settings>("validate", "Run the scenes of scenes/validation beside Vidur's reference runs: percentiles, preemptions, CDF plots"))
            .Add(CommandDefinition.Of<CompareCommand, CompareCommand.Settings>("compare", "Two summary.json files side by side, with ratios"))
            .Add(CommandDefinition.Of<CatalogCommand, CatalogCommand.Settings>("catalog", "The model and GPU ids scenes and --model/--hardware accept, with their key figures"));

        /// <summary>The exit code and the one line for an exception that reached the top.</summary>
        static (int Code, string Line) Describe(Exception e) => e switch
        {
            SimInputException => (2, e.Message),
            // The device failed mid-run (lost, or past the dispatch timeout): the environment, not the input or a bug.
            VulkanException => (3, "vulkan: " + e.Message + "; no outputs were written; rerun, or use --backend cpu"),
            // The workers could not finish (none left, or a point that keeps losing its worker): the environment.
            ClusterException => (3, "cluster: " + e.Message + "; no outputs were written; points done so far are kept for --resume"),
            OutputWriteException => (3, e.Message),
            IOException or UnauthorizedAccessException => (3, "io: " + e.Message),
            OutOfMemoryException => (3, "out of memory: the scene or trace needs more memory than this machine has"),
            _ => (1, "internal error: " + e.GetType().Name + ": " + e.Message + "; rerun with " + VerboseFlag + " for the details"),
        };

        /// <summary>A parallel sweep's or a reflective call's failure is its first inner exception.</summary>
        static Exception Unwrap(Exception e)
        {
            while (true)
            {
                if (e is AggregateException aggregate && aggregate.InnerExceptions.Count > 0) e = aggregate.InnerExceptions[0];
                else if (e is TargetInvocationException invocation && invocation.InnerException != null) e = invocation.InnerException!;
                else return e;
            }
        }

        static string OneLine(string text) => InputText.Escape(text.Replace("\r\n", " ").Replace('\n', ' '));
    }
}
