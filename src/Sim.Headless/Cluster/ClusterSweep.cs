using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using Orleans;
using Sim.Core;
using Sim.Core.Scenes;
using Sim.Headless.Studies;

namespace Sim.Headless.Cluster
{
    /// <summary>
    /// <c>sim sweep --cluster</c>: every point as a <see cref="PointJob"/> to the workers; results kept in the output
    /// folder's <c>points/</c> as they arrive (so <c>--resume</c> can skip them) and returned in grid order.
    /// </summary>
    public static class ClusterSweep
    {
        public static PointResult[] Run(string conn, SweepFile sweep, IReadOnlyList<SweepPoint> points, IReadOnlyList<Scene> scenes, string outDir, bool resume)
        {
            return Task.Run(async () =>
            {
                await using ClusterConnection connection = await ClusterConnection.Open(conn);
                var progress = new ClusterProgress(Console.Error, !Console.IsErrorRedirected);
                var scheduler = new ClusterScheduler(connection.Client, new TraceServer(), progress, Console.Error);
                return await Run(scheduler, sweep, points, scenes, outDir, resume);
            }).GetAwaiter().GetResult();
        }

        public static async Task<PointResult[]> Run(ClusterScheduler scheduler, SweepFile sweep, IReadOnlyList<SweepPoint> points, IReadOnlyList<Scene> scenes, string outDir, bool resume)
        {
            List<PointJob> jobs = Jobs(sweep, points, scenes, scheduler.Traces);
            var store = new PointStore(outDir);
            if (!resume) store.Clear();
            var results = new PointResult[points.Count];
            var todo = new List<int>();
            for (int i = 0; i < jobs.Count; i++)
            {
                PointResult? kept = resume ? store.Load(i, jobs[i].Digest()) : null;
                if (kept != null) results[i] = kept;
                else todo.Add(i);
            }
            scheduler.Progress.Total = todo.Count;
            if (todo.Count < jobs.Count) Console.Error.WriteLine("cluster: resuming; " + (jobs.Count - todo.Count) + " of " + jobs.Count + " points already in " + outDir);
            await scheduler.Run(jobs, todo, (index, bytes) =>
            {
                store.Save(index, jobs[index].Digest(), bytes);
                results[index] = PointResultCodec.Decode(bytes);
            });
            scheduler.Progress.Finish();
            return results;
        }

        static List<PointJob> Jobs(SweepFile sweep, IReadOnlyList<SweepPoint> points, IReadOnlyList<Scene> scenes, TraceServer traces)
        {
            string sceneText = File.ReadAllText(sweep.ScenePath);
            var jobs = new List<PointJob>(points.Count);
            for (int i = 0; i < points.Count; i++)
            {
                if (scenes[i].PerfModel == "profile")
                    throw new SimInputException(sweep.Path, 0, "grid (" + points[i].Label(sweep) + ")", "perf.model: profile reads tables workers do not have; run this sweep without --cluster");
                var job = new PointJob { SceneFileName = Path.GetFileName(sweep.ScenePath), SceneText = sceneText, Overrides = points[i].Overrides(sweep) };
                if (scenes[i].TracePath != null) traces.Describe(job, scenes[i].TracePath!);
                jobs.Add(job);
            }
            return jobs;
        }
    }
}
