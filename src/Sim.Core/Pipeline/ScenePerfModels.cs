using System;
using Sim.Core.PerfModel;
using Sim.Core.Scenes;

namespace Sim.Core.Pipeline
{
    /// <summary>
    /// A scene's perf model built apart from its simulation: a host builds it (the profile tables are most of a
    /// simulation's build), reading the trace as the attention table is read, then hands it to <see cref="Simulation"/>.
    /// </summary>
    public static class ScenePerfModels
    {
        /// <summary>
        /// The perf model a scene's replicas get when they form one pool, as its simulation would build it; null for a disaggregated
        /// scene (a model a pool). With profile tables, <paramref name="meanwhile"/> (which must not throw) runs on this thread
        /// while another reads the attention table; otherwise it is not run.
        /// </summary>
        public static IPerfModel? OfOnePool(Scene scene, Action? meanwhile = null) =>
            scene.Disaggregation == null ? ClusterBuilder.PerfModelOf(scene, ReplicaPool.MixedOf(scene), meanwhile) : null;
    }
}
