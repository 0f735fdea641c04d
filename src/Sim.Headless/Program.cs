using System;
using Sim.Core;
using Sim.Headless.Cluster;
using Sim.Headless.Commands;
using Sim.Vulkan;
using Spectre.Console.Cli;

namespace Sim.Headless
{
    /// <summary>The <c>sim</c> entry point: user mistakes exit 2 with one line, a failed compute device 3, bugs 1 with a trace.</summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            var app = new CommandApp();
            app.Configure(config =>
            {
                config.SetApplicationName("sim");
                config.PropagateExceptions();
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
                config.AddCommand<CompareCommand>("compare").WithDescription("Two summary.json files side by side, with ratios.");
            });
            try
            {
                return app.Run(args);
            }
            catch (SimInputException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 2;
            }
            catch (VulkanException e)
            {
                // The device failed mid-run (lost, or past the dispatch timeout): the environment, not the input or a bug.
                Console.Error.WriteLine("error: vulkan: " + OneLine(e.Message) + "; no outputs were written; rerun, or use --backend cpu");
                return 3;
            }
            catch (ClusterException e)
            {
                // The workers could not finish (none left, or a point that keeps losing its worker): the environment, like 3 above.
                Console.Error.WriteLine("error: cluster: " + OneLine(e.Message) + "; no outputs were written; points done so far are kept for --resume");
                return 3;
            }
            catch (CommandParseException e)
            {
                Console.Error.WriteLine("error: <command line>: " + OneLine(e.Message));
                return 2;
            }
            catch (CommandRuntimeException e)
            {
                Console.Error.WriteLine("error: <command line>: " + OneLine(e.Message));
                return 2;
            }
        }

        static string OneLine(string text) => text.Replace('\n', ' ').Replace("\r", "");
    }
}
