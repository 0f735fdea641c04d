using MemoryPack;

namespace Sim.Core.Components
{
    /// <summary>A serving replica: what it runs on and its clock.</summary>
    // MemoryPackable: the struct holds arrays or strings, so snapshots need MemoryPack's generated formatter.
    [MemoryPackable]
    public partial struct ReplicaInfo
    {
        public int Index;

        /// <summary>Prefill or decode when the cluster is disaggregated; mixed otherwise.</summary>
        public Scenes.ReplicaRole Role;

        public string ModelId;

        public string HardwareId;

        public int TensorParallel;

        public int PipelineParallel;

        public ReplicaState State;

        /// <summary>End of the iteration in flight.</summary>
        public double BusyUntilS;

        /// <summary>Iterations completed.</summary>
        public long Iterations;
    }

    /// <summary>Where a replica is in its iteration cycle; each phase of a step moves it one state on.</summary>
    public enum ReplicaState : byte
    {
        Idle,

        /// <summary>The scheduler chose a batch this step.</summary>
        Scheduled,

        /// <summary>The perf model set the batch's end time.</summary>
        Executing,

        /// <summary>The batch ended this step; its results are applied and await recording.</summary>
        Completed,
    }
}
