namespace Sim.Core.PerfModel
{
    /// <summary>How one replica splits the model over its GPUs.</summary>
    public sealed class Parallelism
    {
        /// <summary>Tensor parallel degree: every layer's weights split this many ways.</summary>
        public int Tp { get; set; } = 1;

        /// <summary>Pipeline stages: the layers split this many ways.</summary>
        public int Pp { get; set; } = 1;
    }
}
