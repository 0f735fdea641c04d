using Sim.Core.PerfModel;
using Sim.Core.Scenes;

namespace Sim.Core.Pipeline
{
    /// <summary>
    /// A scene's perf model built apart from its simulation: a host builds it (the profile tables are most of a
    /// simulation's build) while another thread reads the trace, then hands it to <see cref="Simulation"/>.
    /// </summary>
    public static class ScenePerfModels
    {
        /// <summary>The perf model a scene's replicas get when they form one pool, as its simulation would build it; null for a disaggregated scene (a model a pool).</summary>
        public static IPerfModel? OfOnePool(Scene scene) => scene.Disaggregation == null ? ClusterBuilder.PerfModelOf(scene, ReplicaPool.MixedOf(scene)) : null;
    }
}
