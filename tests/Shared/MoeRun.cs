using System;
using System.Linq;
using Sim.Core.Compute;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;

namespace Sim.Tests.Shared
{
    /// <summary>An MoE example scene, shortened, run to its end on a given backend: the runs backend-parity tests compare.</summary>
    internal static class MoeRun
    {
        /// <summary>
        /// The scene's first <paramref name="requests"/> trace requests on its four replicas; with <paramref name="atOnce"/>
        /// they all arrive at time 0, so the replicas start their first batches in the same step.
        /// </summary>
        public static Simulation Run(string sceneName, int requests, IComputeBackend backend, bool atOnce = false)
        {
            Scene scene = SceneLoader.Load(Repository.ExampleScene(sceneName), Array.Empty<string>());
            scene.MaxRequests = requests;
            SceneWorkload workload = SceneWorkload.Open(scene);
            var arrivals = atOnce ? workload.Requests.Select(request => { request.ArrivalS = 0; return request; }) : workload.Requests;
            var simulation = new Simulation(scene, arrivals, workload.Count, workload.SourceName, backend: backend);
            simulation.Run();
            return simulation;
        }
    }
}
