namespace Sim.Core.Scenes
{
    /// <summary>A KV tier below HBM as a scene sizes it, for one replica (all its GPUs together).</summary>
    public sealed class MemoryTier
    {
        public long CapacityBytes { get; set; }

        /// <summary>Copy bandwidth to HBM.</summary>
        public double BandwidthBytesPerS { get; set; }
    }
}
