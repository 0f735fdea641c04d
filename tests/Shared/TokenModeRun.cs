using System;
using System.IO;
using Sim.Core.Compute;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;

namespace Sim.Tests.Shared
{
    /// <summary>The token-mode example scene, shortened, run to its end on a given backend: the runs backend-parity tests compare.</summary>
    internal static class TokenModeRun
    {
        const string SceneName = "long-prompt-kv-compression-llama3-8b.yaml";

        /// <summary>The example scene in the repository, or beside the test assembly where a bundle carries it (tools/gpu-check).</summary>
        static string ScenePath()
        {
            string built = Repository.PathOf("scenes", "examples", SceneName);
            return File.Exists(built) ? built : Path.Combine(AppContext.BaseDirectory, "..", "scenes", "examples", SceneName);
        }

        /// <summary><paramref name="requests"/> requests of <paramref name="promptTokens"/> + <paramref name="outputTokens"/> tokens on two replicas under <paramref name="policy"/>.</summary>
        public static Simulation Run(string policy, int requests, int promptTokens, int outputTokens, IComputeBackend backend)
        {
            Scene scene = SceneLoader.Load(ScenePath(), new[]
            {
                "kv.compression.policy=" + policy, "workload.synthetic.requests=" + requests, "workload.synthetic.prompt_tokens.value=" + promptTokens,
                "workload.synthetic.output_tokens.value=" + outputTokens, "cluster.replicas=2",
            });
            SceneWorkload workload = SceneWorkload.Open(scene);
            var simulation = new Simulation(scene, workload.Requests, workload.Count, workload.SourceName, backend: backend);
            simulation.Run();
            return simulation;
        }
    }
}
