namespace Sim.Core.PerfModel
{
    /// <summary>
    /// One GPU's datasheet figures (scenes/hardware/&lt;id&gt;.yaml) and the roofline efficiency factors it runs at: the
    /// defaults shared by all GPUs, unless the file includes factors fitted to its own measurements (<c>efficiency: FILE</c>).
    /// </summary>
    public sealed class HardwareSpec
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public long HbmBytes { get; set; }
        public double MemoryBandwidthBytesPerS { get; set; }

        /// <summary>Dense fp16/bf16 tensor-core peak.</summary>
        public double PeakFp16Flops { get; set; }

        /// <summary>GPU-to-GPU bandwidth per direction within a node (NVLink, Infinity Fabric, or PCIe where there is none).</summary>
        public double InterconnectBandwidthBytesPerS { get; set; }

        /// <summary>Latency of one GPU-to-GPU step of a collective.</summary>
        public double InterconnectLatencyS { get; set; }

        /// <summary>Host-to-GPU bandwidth per direction.</summary>
        public double PcieBandwidthBytesPerS { get; set; }

        /// <summary>This GPU's share of its server's DRAM, for the host KV tier.</summary>
        public long HostMemoryBytes { get; set; }

        /// <summary>This GPU's share of its server's NVMe, for the SSD KV tier.</summary>
        public long SsdBytes { get; set; }

        /// <summary>This GPU's share of the NVMe read bandwidth.</summary>
        public double SsdBandwidthBytesPerS { get; set; }

        /// <summary>Share of peak each operator class reaches on this GPU (<see cref="RooflineEfficiency.Default"/> unless calibrated).</summary>
        public RooflineEfficiency Efficiency { get; set; } = RooflineEfficiency.Default;
    }
}
