using Sim.Core.PerfModel;

namespace Sim.Core.Scenes
{
    /// <summary>A group of identical replicas: how many, on which GPU, split how (and, when disaggregated, for which phase).</summary>
    public sealed class ReplicaPool
    {
        public ReplicaRole Role { get; set; } = ReplicaRole.Mixed;

        public int Replicas { get; set; } = 1;

        public string HardwareId { get; set; } = "";

        public HardwareSpec Hardware { get; set; } = null!;

        public int TensorParallel { get; set; } = 1;

        public int PipelineParallel { get; set; } = 1;

        public int Gpus => TensorParallel * PipelineParallel;

        /// <summary>The single pool of a scene that does not disaggregate: its hardware and parallelism.</summary>
        public static ReplicaPool MixedOf(Scene scene) => new ReplicaPool
        {
            Replicas = scene.Replicas,
            HardwareId = scene.HardwareId,
            Hardware = scene.Hardware,
            TensorParallel = scene.TensorParallel,
            PipelineParallel = scene.PipelineParallel,
        };
    }

    public enum ReplicaRole : byte
    {
        /// <summary>Prefills and decodes its own requests.</summary>
        Mixed,

        /// <summary>Computes prompts and the first token, then hands the KV to a decode replica.</summary>
        Prefill,

        /// <summary>Receives requests with their prompt's KV and generates the rest.</summary>
        Decode,
    }
}
