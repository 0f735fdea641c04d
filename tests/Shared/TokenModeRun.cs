using System;
using Sim.Core.Compute;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;

namespace Sim.Tests.Shared
{
    /// <summary>The token-mode example scene, shortened, run to its end on a given backend: the runs backend-parity tests compare.</summary>
    internal static class TokenModeRun
    {
        const string SceneName = "long-prompt-kv-compression-llama3-8b.yaml";

        /// <summary><paramref name="requests"/> requests of <paramref name="promptTokens"/> + <paramref name="outputTokens"/> tokens on two replicas under <paramref name="policy"/>.</summary>
        public static Simulation Run(string policy, int requests, int promptTokens, int outputTokens, IComputeBackend backend)
        {
            Scene scene = SceneLoader.Load(Repository.ExampleScene(SceneName), new[]
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
