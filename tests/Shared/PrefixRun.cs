using System;
using Sim.Core.Compute;
using Sim.Core.Kv;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;

namespace Sim.Tests.Shared
{
    /// <summary>The prefix-caching example scene, shortened and without its host tier, run to its end on a given backend: the runs backend-parity tests compare.</summary>
    internal static class PrefixRun
    {
        const string SceneName = "mooncake-prefix-llama3.1-70b.yaml";

        /// <summary>
        /// <paramref name="requests"/> requests on the scene's four replicas under <paramref name="policy"/>, at
        /// <paramref name="ratePerS"/> a second; HBM alone, so every eviction scoring is the prefix cache's.
        /// </summary>
        public static Simulation Run(EvictionPolicy policy, int requests, double ratePerS, IComputeBackend backend)
        {
            Scene scene = SceneLoader.Load(Repository.ExampleScene(SceneName), new[]
            {
                "workload.synthetic.requests=" + requests, "workload.synthetic.rate_per_s=" + ratePerS.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "kv.eviction=" + EvictionPolicies.Names[(int)policy],
            });
            scene.HostTier = null;
            SceneWorkload workload = SceneWorkload.Open(scene);
            var simulation = new Simulation(scene, workload.Requests, workload.Count, workload.SourceName, backend: backend);
            simulation.Run();
            return simulation;
        }
    }
}
