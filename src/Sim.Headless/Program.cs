using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using Sim.Core;
using Sim.Headless.Cluster;
using Sim.Headless.Commands;
using Sim.Headless.Output;
using Sim.Vulkan;
using Spectre.Console.Cli;

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

        public static int Main(string[] args)
        {
            MainTicks = Stopwatch.GetTimestamp();
            MainUtc = DateTime.UtcNow;
            bool verbose = args.Contains(VerboseFlag);
            args = args.Where(arg => arg != VerboseFlag).ToArray();
            using Interrupts interrupts = Interrupts.Install();
            TextWriter stdout = Console.Out;
            Console.SetOut(new CheckedStdout(stdout));
            var app = new CommandApp();
            app.Configure(config =>
            {
                config.SetApplicationName("sim");
                config.ConfigureConsole(Terminal.Stdout()); // help and parse errors go to the (checked) Console.Out of this call
                config.PropagateExceptions();
                config.SetInterceptor(new StrictFlags());
                config.AddCommand<RunCommand>("run").WithDescription("Replay a trace through a scene and write summary.json, requests.csv, iterations.csv.");
                config.AddBranch("trace", trace =>
                {
                    trace.SetDescription("Inspect traces.");
                    trace.AddCommand<TraceStatsCommand>("stats").WithDescription("Counts, rates, token quantiles and prefix reuse of a trace.");
                });
                config.AddCommand<PerfCommand>("perf").WithDescription("Per-layer step-time breakdown from the perf model.");
                config.AddCommand<CalibrateCommand>("calibrate").WithDescription("Fit a GPU's roofline efficiency factors to measured operator tables.");
                config.AddCommand<SweepCommand>("sweep").WithDescription("Run a grid of scene overrides in parallel: sweep.csv and plots.");
                config.AddCommand<WorkerCommand>("worker").WithDescription("Run sweep and capacity points for --cluster clients (an Orleans silo), until stopped.");
                config.AddCommand<CapacityCommand>("capacity").WithDescription("The highest arrival rate that meets an SLO, by search over the time scale.");
                config.AddCommand<ViewCommand>("view").WithDescription("Step through a scene in the browser: batches, queues, KV pages, experts, latencies.");
                config.AddCommand<ValidateCommand>("validate").WithDescription("Run the scenes of scenes/validation beside Vidur's reference runs: percentiles, preemptions, CDF plots.");
                config.AddCommand<CompareCommand>("compare").WithDescription("Two summary.json files side by side, with ratios.");
                config.AddCommand<CatalogCommand>("catalog").WithDescription("The model and GPU ids scenes and --model/--hardware accept, with their key figures.");
            });
            // Without a command there is nothing to do: the usage, and the exit code of a mistake.
            if (args.Length == 0)
            {
                app.Run(new[] { "--help" });
                return 2;
            }
            try
            {
                int code = app.Run(args);
                Console.Out.Flush();
                return code;
            }
            catch (Exception e)
            {
                (int code, string line) = Describe(Unwrap(e), args);
                Console.Error.WriteLine("error: " + OneLine(line));
                if (verbose) Console.Error.WriteLine(e.ToString());
                return code;
            }
            finally
            {
                Console.SetOut(stdout);
            }
        }

        /// <summary>The exit code and the one line for an exception that reached the top.</summary>
        static (int Code, string Line) Describe(Exception e, string[] args) => e switch
        {
            SimInputException => (2, e.Message),
            // The device failed mid-run (lost, or past the dispatch timeout): the environment, not the input or a bug.
            VulkanException => (3, "vulkan: " + e.Message + "; no outputs were written; rerun, or use --backend cpu"),
            CommandParseException or CommandRuntimeException => (2, StrictFlags.Source + ": " + CommandLineProblem(e.Message, args)),
            // The workers could not finish (none left, or a point that keeps losing its worker): the environment.
            ClusterException => (3, "cluster: " + e.Message + "; no outputs were written; points done so far are kept for --resume"),
            OutputWriteException => (3, e.Message),
            IOException or UnauthorizedAccessException => (3, "io: " + e.Message),
            OutOfMemoryException => (3, "out of memory: the scene or trace needs more memory than this machine has"),
            _ => (1, "internal error: " + e.GetType().Name + ": " + e.Message + "; rerun with " + VerboseFlag + " for the details"),
        };

        /// <summary>A flag value the parser could not convert names the flag and says what it takes, not a .NET type.</summary>
        static string CommandLineProblem(string message, string[] args)
        {
            const string prefix = "Failed to convert '";
            if (!message.StartsWith(prefix, StringComparison.Ordinal)) return message;
            string value = message.Substring(prefix.Length, Math.Max(0, message.IndexOf("' to ", StringComparison.Ordinal) - prefix.Length));
            int at = Array.IndexOf(args, value);
            string flag = at > 0 ? args[at - 1] : args.FirstOrDefault(arg => arg.EndsWith("=" + value, StringComparison.Ordinal))?.Split('=')[0] ?? "a flag";
            return flag + ": '" + value + "' is not a value this flag takes (a number of its kind, within its range; --help lists the flags)";
        }

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
