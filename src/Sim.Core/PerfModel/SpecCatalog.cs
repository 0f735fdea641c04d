using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Sim.Core.Scenes;

namespace Sim.Core.PerfModel
{
    /// <summary>
    /// The model and hardware catalog: <c>models/&lt;id&gt;.yaml</c> and <c>hardware/&lt;id&gt;.yaml</c> under a
    /// <c>scenes/</c> folder. A new model or GPU is one file there.
    /// </summary>
    public static class SpecCatalog
    {
        /// <summary>
        /// The nearest folder at or above <paramref name="startDir"/> holding models/ and hardware/ (itself or its
        /// scenes/ child), else a Unity package's <c>Catalog~</c> beside the <c>Plugins</c> folder holding this assembly,
        /// else the catalog beside the running binary; null when there is none.
        /// </summary>
#if NET5_0_OR_GREATER
        [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("SingleFile", "IL3000",
            Justification = "An empty Location (a single-file or ahead-of-time compiled binary) is checked for and skipped.")]
#endif
        public static string? FindCatalogDir(string startDir)
        {
            for (var dir = new DirectoryInfo(Path.GetFullPath(startDir)); dir != null; dir = dir.Parent)
            {
                if (IsCatalog(dir.FullName)) return dir.FullName;
                string scenes = Path.Combine(dir.FullName, "scenes");
                if (IsCatalog(scenes)) return scenes;
            }
            // The Unity package: Catalog~ beside the Plugins folder this assembly was loaded from (Unity imports no
            // folder ending in ~). Empty Location: loaded from bytes or a single-file bundle, no folder to look beside.
            string location = typeof(SpecCatalog).Assembly.Location;
            if (location.Length > 0)
            {
                string packaged = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(location) ?? ".", "..", "Catalog~"));
                if (IsCatalog(packaged)) return packaged;
            }
            string besideBinary = Path.Combine(AppContext.BaseDirectory, "scenes");
            return IsCatalog(besideBinary) ? besideBinary : null;
        }

        public static IReadOnlyList<string> ModelIds(string catalogDir) => Ids(Path.Combine(catalogDir, "models"));

        public static IReadOnlyList<string> HardwareIds(string catalogDir) => Ids(Path.Combine(catalogDir, "hardware"));

        public static ModelSpec LoadModel(string catalogDir, string id)
        {
            YamlSection file = Open(Path.Combine(catalogDir, "models"), id, "model");
            var spec = new ModelSpec
            {
                Id = id,
                Name = file.String("name", id),
                Layers = file.RequiredInt("layers", 1),
                HiddenSize = file.RequiredInt("hidden_size", 1),
                Heads = file.RequiredInt("heads", 1),
                KvHeads = file.RequiredInt("kv_heads", 1),
                IntermediateSize = file.RequiredInt("intermediate_size", 1),
                VocabSize = file.RequiredInt("vocab_size", 1),
                MaxContextTokens = file.RequiredInt("max_context_tokens", 2),
                GatedMlp = file.Bool("gated_mlp", true),
                WeightBytesPerParam = file.Double("weight_bytes_per_param", 2, 0, exclusiveMin: true),
            };
            spec.HeadDim = file.Int("head_dim", spec.HiddenSize / spec.Heads, 1);
            spec.KvElementsPerTokenPerLayer = file.Int("kv_elements_per_token_per_layer", 2 * spec.KvHeads * spec.HeadDim, 1);
            long parameters = file.Long("parameters", 0, 1);
            spec.PublishedParameters = parameters > 0 ? parameters : (long?)null;
            YamlSection? moe = file.Section("moe");
            if (moe != null)
            {
                spec.Experts = moe.RequiredInt("experts", 1);
                spec.ExpertsPerToken = moe.RequiredInt("experts_per_token", 1);
                if (spec.ExpertsPerToken > spec.Experts)
                    throw moe.ErrorAt("experts_per_token", spec.ExpertsPerToken + " is more than the " + spec.Experts + " experts a token can be routed to");
                spec.SharedExperts = moe.Int("shared_experts", 0, 0);
                spec.ExpertIntermediateSize = moe.RequiredInt("expert_intermediate_size", 1);
                moe.RejectUnknownKeys();
            }
            file.RejectUnknownKeys();
            return spec;
        }

        public static HardwareSpec LoadHardware(string catalogDir, string id)
        {
            YamlSection file = Open(Path.Combine(catalogDir, "hardware"), id, "hardware");
            var spec = new HardwareSpec
            {
                Id = id,
                Name = file.String("name", id),
                HbmBytes = (long)(file.RequiredPositive("hbm_gib") * 1073741824.0),
                MemoryBandwidthBytesPerS = file.RequiredPositive("memory_bandwidth_gb_s") * 1e9,
                PeakFp16Flops = file.RequiredPositive("peak_fp16_tflops") * 1e12,
                InterconnectBandwidthBytesPerS = file.RequiredPositive("interconnect_gb_s") * 1e9,
                InterconnectLatencyS = file.RequiredPositive("interconnect_latency_us") * 1e-6,
                PcieBandwidthBytesPerS = file.RequiredPositive("pcie_gb_s") * 1e9,
                HostMemoryBytes = (long)(file.RequiredPositive("host_memory_gib") * 1073741824.0),
                SsdBytes = (long)(file.RequiredPositive("ssd_gb") * 1e9),
                SsdBandwidthBytesPerS = file.RequiredPositive("ssd_gb_s") * 1e9,
            };
            string? efficiency = file.OptionalString("efficiency");
            if (efficiency != null)
                spec.Efficiency = EfficiencyFile.Read(Path.Combine(Path.Combine(catalogDir, "hardware"), efficiency));
            file.RejectUnknownKeys();
            return spec;
        }

        static YamlSection Open(string dir, string id, string kind)
        {
            string path = Path.Combine(dir, id + ".yaml");
            if (!File.Exists(path))
                throw new SimInputException(path, 0, "", "unknown " + kind + " id '" + id + "'; known: " + string.Join(", ", Ids(dir)));
            return new YamlSection(YamlFile.LoadMapping(path, "a " + kind + " spec is a mapping of keys"), new SceneSource(path), "");
        }

        static bool IsCatalog(string dir) => Directory.Exists(Path.Combine(dir, "models")) && Directory.Exists(Path.Combine(dir, "hardware"));

        static IReadOnlyList<string> Ids(string dir) => Directory.Exists(dir)
            ? Directory.GetFiles(dir, "*.yaml").Select(file => Path.GetFileNameWithoutExtension(file)!).OrderBy(id => id, StringComparer.Ordinal).ToArray()
            : Array.Empty<string>();
    }
}
