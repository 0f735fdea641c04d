namespace Sim.Core.Policies
{
    /// <summary>Per-iteration limits shared by the scheduling policies.</summary>
    public sealed class SchedulerLimits
    {
        /// <summary>Token budget of one iteration, shared by prefill chunks and decodes.</summary>
        public int MaxBatchTokens { get; set; } = 4096;

        /// <summary>Most requests admitted (running) at once.</summary>
        public int MaxNumSeqs { get; set; } = 128;

        /// <summary>Sarathi's per-iteration token budget (the smaller of it and <see cref="MaxBatchTokens"/> applies).</summary>
        public int ChunkTokens { get; set; } = 512;

        /// <summary>Whether a prompt may be split across iterations when it exceeds the remaining budget.</summary>
        public bool ChunkedPrefill { get; set; } = true;

        /// <summary>Which waiting request is admitted next.</summary>
        public AdmissionOrder Order { get; set; } = AdmissionOrder.Fcfs;
    }
}
