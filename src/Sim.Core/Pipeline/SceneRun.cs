using System.Diagnostics;
using Sim.Core.Metrics;
using Sim.Core.Scenes;

namespace Sim.Core.Pipeline
{
    /// <summary>
    /// A scene run to its summary figures with nothing written: what studies (sweeps, capacity search) and
    /// embedding hosts need when they compare many runs.
    /// </summary>
    public static class SceneRun
    {
        /// <param name="traces">Trace files shared with the study's other runs; read afresh when null.</param>
        public static RunSummary Summarize(Scene scene, string backend, TraceCache? traces = null)
        {
            SceneWorkload workload = SceneWorkload.Open(scene, traces);
            using var simulation = new Simulation(scene, workload.Requests, workload.Count, workload.SourceName);
            var clock = Stopwatch.StartNew();
            simulation.Run();
            return SummaryBuilder.Build(simulation, backend, clock.Elapsed.TotalSeconds);
        }
    }
}
