using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using Sim.Core;
using Sim.Core.Scenes;
using Sim.Headless.Commands;
using Sim.Headless.Studies;

namespace Sim.Headless.Cluster
{
    /// <summary><c>sim capacity --cluster</c>'s probe: the command's scene and flags as a <see cref="PointJob"/>, its time scale set per probe.</summary>
    public static class ClusterCapacityProbes
    {
        public static CapacityResult Run(string conn, SceneSettings settings, Scene baseScene, IReadOnlyList<SloTarget> slo, double tolerance)
        {
            if (baseScene.PerfModel == "profile")
                throw new SimInputException(settings.ScenePath, 0, "perf.model", "profile reads tables workers do not have; run this search without --cluster");
            return Task.Run(async () =>
            {
                await using ClusterConnection connection = await ClusterConnection.Open(conn);
                var scheduler = new ClusterScheduler(connection.Client, new TraceServer(), new ClusterProgress(Console.Error, !Console.IsErrorRedirected), Console.Error);
                PointJob template = Template(settings, baseScene, scheduler.Traces);
                return await Task.Run(() => ClusterCapacity.Run(scheduler, template, slo, tolerance));
            }).GetAwaiter().GetResult();
        }

        /// <summary>The flags as <see cref="RunFlags"/> applies them, already checked by loading <paramref name="baseScene"/>.</summary>
        public static PointJob Template(SceneSettings settings, Scene baseScene, TraceServer traces)
        {
            var job = new PointJob
            {
                SceneFileName = Path.GetFileName(settings.ScenePath),
                SceneText = File.ReadAllText(settings.ScenePath),
                Overrides = settings.Overrides,
                TraceReplacesWorkload = settings.TracePath != null,
                TraceFormat = settings.TraceFormat,
                MaxRequests = settings.Requests,
                Seed = settings.Seed,
                SummaryOnly = true,
            };
            if (baseScene.TracePath != null) traces.Describe(job, baseScene.TracePath);
            return job;
        }
    }
}
