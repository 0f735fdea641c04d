using System;
using System.IO;
using System.Linq;
using Sim.Core.Compute;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;

namespace Sim.Tests.Shared
{
    /// <summary>An MoE example scene, shortened, run to its end on a given backend: the runs backend-parity tests compare.</summary>
    internal static class MoeRun
    {
        /// <summary>The example scene in the repository, or beside the test assembly where a bundle carries it (tools/gpu-check).</summary>
        static string ScenePath(string sceneName)
        {
            string built = Repository.PathOf("scenes", "examples", sceneName);
            return File.Exists(built) ? built : Path.Combine(AppContext.BaseDirectory, "..", "scenes", "examples", sceneName);
        }

        /// <summary>
        /// The scene's first <paramref name="requests"/> trace requests on its four replicas; with <paramref name="atOnce"/>
        /// they all arrive at time 0, so the replicas start their first batches in the same step.
        /// </summary>
        public static Simulation Run(string sceneName, int requests, IComputeBackend backend, bool atOnce = false)
        {
            Scene scene = SceneLoader.Load(ScenePath(sceneName), Array.Empty<string>());
            scene.MaxRequests = requests;
            SceneWorkload workload = SceneWorkload.Open(scene);
            var arrivals = atOnce ? workload.Requests.Select(request => { request.ArrivalS = 0; return request; }) : workload.Requests;
            var simulation = new Simulation(scene, arrivals, workload.Count, workload.SourceName, backend: backend);
            simulation.Run();
            return simulation;
        }
    }
}
