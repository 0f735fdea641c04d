using System;
using System.Linq;
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
            Simulation simulation = Build(Scene(policy, requests, ratePerS), backend);
            simulation.Run();
            return simulation;
        }

        /// <summary>
        /// The same run stepped one event at a time (fast-forward off) until its caches have evicted
        /// <paramref name="evictions"/> blocks, saved, restored into a simulation just built on <paramref name="restoreOn"/>
        /// and run to its end there. <paramref name="saved"/>: the run that was saved, stopped where it was saved.
        /// </summary>
        public static Simulation RunRestored(EvictionPolicy policy, int requests, double ratePerS, IComputeBackend saveOn, IComputeBackend restoreOn, long evictions, out Simulation saved)
        {
            Scene scene = Scene(policy, requests, ratePerS, "fast_forward=false");
            saved = Build(scene, saveOn);
            while (saved.Cluster.Replicas.Sum(r => r.Kv.Prefix!.Evictions) < evictions)
                if (!saved.Step()) throw new ArgumentOutOfRangeException(nameof(evictions), evictions, "the run ended with fewer evictions");
            byte[] snapshot = saved.Save();
            Simulation restored = Build(scene, restoreOn);
            try
            {
                restored.Load(snapshot);
                restored.Run();
                return restored;
            }
            catch
            {
                restored.Dispose();
                saved.Dispose();
                throw;
            }
        }

        static Scene Scene(EvictionPolicy policy, int requests, double ratePerS, params string[] more)
        {
            Scene scene = SceneLoader.Load(Repository.ExampleScene(SceneName), new[]
            {
                "workload.synthetic.requests=" + requests, "workload.synthetic.rate_per_s=" + ratePerS.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "kv.eviction=" + EvictionPolicies.Names[(int)policy],
            }.Concat(more).ToArray());
            scene.HostTier = null;
            return scene;
        }

        static Simulation Build(Scene scene, IComputeBackend backend)
        {
            SceneWorkload workload = SceneWorkload.Open(scene);
            return new Simulation(scene, workload.Requests, workload.Count, workload.SourceName, backend: backend);
        }
    }
}
