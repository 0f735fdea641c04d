using System.IO;
using NUnit.Framework;
using Sim.Core.PerfModel;
using Sim.Tests.Shared;

namespace Sim.Core.Tests.PerfModel
{
    /// <summary>The repository's shipped catalog and the figures the hand-worked tests use.</summary>
    internal static class PerfTestSpecs
    {
        public static string CatalogDir => Repository.PathOf("scenes");

        public static ModelSpec Model(string id) => SpecCatalog.LoadModel(CatalogDir, id);

        /// <summary>A100 80GB SXM datasheet: 2,039 GB/s, 312 dense fp16 TFLOPS, NVLink 300 GB/s per direction.</summary>
        public static HardwareSpec A100 => SpecCatalog.LoadHardware(CatalogDir, "a100-80g");

        /// <summary>Round efficiencies, written out here so the hand-worked numbers do not move when the defaults are recalibrated.</summary>
        public static RooflineEfficiency Efficiency => new RooflineEfficiency
        {
            GemmTileTokens = 128,
            GemmCompute = 0.75,
            GemmMemory = 0.8,
            GemmFloorS = 5e-6,
            NormMemory = 0.4,
            PointwiseMemory = 0.5,
            AddMemory = 1.0,
            SmallKernelFloorS = 2e-6,
            AttentionCompute = 0.6,
            AttentionMemory = 0.8,
            AttentionPrefillFloorS = 5e-6,
            AttentionDecodeFloorS = 5e-6,
            CollectiveBandwidth = 0.6,
        };

        /// <summary>The A100 profile excerpts shipped in scenes/profiles/a100-excerpt (its README.md says which rows).</summary>
        public static string Fixture(string name) => Repository.PathOf("scenes", "profiles", "a100-excerpt", name);
    }
}
