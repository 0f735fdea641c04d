namespace Sim.Core.Compute
{
    /// <summary>
    /// The element count from which each kernel is faster on a device than on the CPU, one call at a time with its
    /// inputs staged and its outputs read back (bench <c>kernels</c>). <see cref="Never"/> keeps a kernel on the CPU.
    /// </summary>
    public readonly struct KernelCrossover
    {
        public const int Never = int.MaxValue;

        public KernelCrossover(int evictionBlocks, int attentionPositions, int gateLogits, int selectKeys, int routeReplicas)
        {
            EvictionBlocks = evictionBlocks;
            AttentionPositions = attentionPositions;
            GateLogits = gateLogits;
            SelectKeys = selectKeys;
            RouteReplicas = routeReplicas;
        }

        public int EvictionBlocks { get; }
        public int AttentionPositions { get; }
        /// <summary>Tokens times experts.</summary>
        public int GateLogits { get; }
        public int SelectKeys { get; }
        public int RouteReplicas { get; }

        /// <summary>Every kernel on the CPU: what a CPU device (lavapipe) or an integrated GPU gets (slower at every size measured).</summary>
        public static KernelCrossover CpuOnly => new KernelCrossover(Never, Never, Never, Never, Never);

        /// <summary>
        /// A discrete GPU, from bench <c>kernels</c> on an NVIDIA H200 against one CPU core (docs/VULKAN.md, "Choosing a
        /// backend"): the kernels that do much work per byte moved cross over at 1e5 elements; the streaming ones
        /// (eviction scores, attention, routing) lose to the CPU at every size while their inputs cross PCIe per call.
        /// </summary>
        public static KernelCrossover DiscreteGpu => new KernelCrossover(Never, Never, 100_000, 100_000, Never);

        /// <summary>True when no kernel would run on the device.</summary>
        public bool IsCpuOnly => EvictionBlocks == Never && AttentionPositions == Never && GateLogits == Never && SelectKeys == Never && RouteReplicas == Never;
    }
}
