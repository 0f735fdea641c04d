using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Sim.Core.Metrics;
using Sim.Headless.Studies;

namespace Sim.Headless.Cluster
{
    /// <summary>
    /// <c>sim capacity --cluster</c>: the same search as the local one (<see cref="CapacitySearch"/>, so the same answer and
    /// run count), with its probes run ahead on the cluster. Which scale the search tries next depends only on whether
    /// earlier probes met the SLO, so replaying the search with assumed outcomes lists every scale the next few steps
    /// could need: with W free slots the next d steps' probes (2^(d+1) - 1 of them, at most W) run at once, and the
    /// search then takes the ones its real outcomes lead to. Probes down the branch not taken are spent speculation.
    /// </summary>
    public static class ClusterCapacity
    {
        public static CapacityResult Run(ClusterScheduler scheduler, PointJob template, IReadOnlyList<SloTarget> slo, double tolerance)
        {
            var known = new Dictionary<double, RunSummary>();
            int probes = 0;
            while (true)
            {
                List<double> ahead = Ahead(known, slo, tolerance, Depth(Math.Max(scheduler.Slots, 1)));
                if (ahead.Count == 0) break;
                List<PointJob> jobs = ahead.Select(template.At).ToList();
                var summaries = new RunSummary[jobs.Count];
                scheduler.Progress.Total += jobs.Count;
                Task.Run(() => scheduler.Run(jobs, Enumerable.Range(0, jobs.Count), (i, bytes) => summaries[i] = PointResultCodec.Decode(bytes).Summary)).GetAwaiter().GetResult();
                for (int i = 0; i < ahead.Count; i++) known[ahead[i]] = summaries[i];
                probes += ahead.Count;
            }
            CapacityResult result = CapacitySearch.Run(scale => known[scale], slo, tolerance);
            scheduler.Progress.Finish();
            Console.Error.WriteLine("cluster: " + probes + " probes run ahead, " + result.Runs + " used by the search");
            return result;
        }

        /// <summary>Steps to look ahead: the largest d with 2^(d+1) - 1 probes fitting the slots (0: one probe at a time).</summary>
        static int Depth(int slots)
        {
            int depth = 0;
            while ((1 << (depth + 2)) - 1 <= slots) depth++;
            return depth;
        }

        /// <summary>The unknown scales the search could ask for within <paramref name="depth"/> more unknown outcomes; empty when it needs none.</summary>
        static List<double> Ahead(Dictionary<double, RunSummary> known, IReadOnlyList<SloTarget> slo, double tolerance, int depth)
        {
            var needed = new List<double>();
            void Explore(List<bool> assumed)
            {
                int used = 0;
                try
                {
                    CapacitySearch.Run(scale =>
                    {
                        if (known.TryGetValue(scale, out RunSummary? summary)) return summary;
                        if (used < assumed.Count) return assumed[used++] ? Meeting : Failing;
                        if (!needed.Contains(scale)) needed.Add(scale);
                        throw new NeedsProbe();
                    }, slo, tolerance);
                }
                catch (NeedsProbe)
                {
                    if (assumed.Count < depth)
                    {
                        Explore(new List<bool>(assumed) { true });
                        Explore(new List<bool>(assumed) { false });
                    }
                }
            }
            Explore(new List<bool>());
            return needed;
        }

        /// <summary>A summary every bound accepts (all latencies 0) and one every bound refuses (all infinite), for assumed outcomes.</summary>
        static readonly RunSummary Meeting = new RunSummary();

        static readonly RunSummary Failing = new RunSummary { TtftS = Infinite(), TbtS = Infinite(), E2eS = Infinite(), QueueS = Infinite() };

        static Distribution Infinite() => new Distribution { Mean = double.PositiveInfinity, P50 = double.PositiveInfinity, P90 = double.PositiveInfinity, P99 = double.PositiveInfinity, Max = double.PositiveInfinity };

        sealed class NeedsProbe : Exception
        {
        }
    }
}
