using System;
using System.Globalization;
using System.IO;
using Sim.Core.Scenes;

namespace Sim.Core.PerfModel
{
    /// <summary>
    /// Efficiency factors as a YAML file a hardware file includes (<c>efficiency: FILE</c>): the factors
    /// <c>sim calibrate</c> fits, by key; a key left out keeps its default.
    /// </summary>
    public static class EfficiencyFile
    {
        /// <summary>
        /// The fitted factors: YAML key, how to read and set it, and the range the fit searches. Times are written in
        /// microseconds (<c>_us</c>) and may be 0; efficiencies must be above 0.
        /// </summary>
        internal static readonly (string Key, Func<RooflineEfficiency, double> Get, Action<RooflineEfficiency, double> Set, double Lo, double Hi, bool MayBeZero)[] Factors =
        {
            ("gemm_compute", e => e.GemmCompute, (e, v) => e.GemmCompute = v, 0.02, 2, false),
            ("gemm_memory", e => e.GemmMemory, (e, v) => e.GemmMemory = v, 0.02, 2, false),
            ("norm_memory", e => e.NormMemory, (e, v) => e.NormMemory = v, 0.02, 2, false),
            ("pointwise_memory", e => e.PointwiseMemory, (e, v) => e.PointwiseMemory = v, 0.02, 2, false),
            ("add_memory", e => e.AddMemory, (e, v) => e.AddMemory = v, 0.02, 2, false),
            ("attention_compute", e => e.AttentionCompute, (e, v) => e.AttentionCompute = v, 0.02, 2, false),
            ("attention_memory", e => e.AttentionMemory, (e, v) => e.AttentionMemory = v, 0.02, 2, false),
            ("attention_prefill_floor_us", e => e.AttentionPrefillFloorS * 1e6, (e, v) => e.AttentionPrefillFloorS = v * 1e-6, 0.01, 1000, true),
            ("attention_prefill_per_sequence_us", e => e.AttentionPrefillPerSequenceS * 1e6, (e, v) => e.AttentionPrefillPerSequenceS = v * 1e-6, 0.001, 1000, true),
            ("attention_decode_floor_us", e => e.AttentionDecodeFloorS * 1e6, (e, v) => e.AttentionDecodeFloorS = v * 1e-6, 0.01, 1000, true),
            ("attention_decode_per_sequence_us", e => e.AttentionDecodePerSequenceS * 1e6, (e, v) => e.AttentionDecodePerSequenceS = v * 1e-6, 0.001, 1000, true),
            ("collective_bandwidth", e => e.CollectiveBandwidth, (e, v) => e.CollectiveBandwidth = v, 0.02, 2, false),
        };

        /// <summary>Tile sizes in tokens (whole numbers, at least 1), fitted by trying each of <see cref="TileChoices"/>.</summary>
        internal static readonly (string Key, Func<RooflineEfficiency, int> Get, Action<RooflineEfficiency, int> Set)[] Tiles =
        {
            ("attention_prefill_kv_tile", e => e.AttentionPrefillKvTile, (e, v) => e.AttentionPrefillKvTile = v),
            ("attention_decode_kv_tile", e => e.AttentionDecodeKvTile, (e, v) => e.AttentionDecodeKvTile = v),
        };

        /// <summary>The tile sizes a fit tries: none, and the powers of two attention kernels use.</summary>
        internal static readonly int[] TileChoices = { 1, 16, 32, 64, 128, 256 };

        public static RooflineEfficiency Read(string path)
        {
            if (!File.Exists(path)) throw new SimInputException(path, 0, "", "no such efficiency file");
            var file = new YamlSection(YamlFile.LoadMapping(path, "an efficiency file is a mapping of factor: value"), new SceneSource(path), "");
            var efficiency = new RooflineEfficiency();
            foreach (var factor in Factors)
                factor.Set(efficiency, file.Double(factor.Key, factor.Get(efficiency), 0, exclusiveMin: !factor.MayBeZero));
            foreach (var tile in Tiles)
                tile.Set(efficiency, file.Int(tile.Key, tile.Get(efficiency), 1));
            file.RejectUnknownKeys();
            return efficiency;
        }

        /// <summary>Every factor of <paramref name="efficiency"/>, after <paramref name="comment"/> lines (each prefixed with #).</summary>
        public static void Write(TextWriter writer, RooflineEfficiency efficiency, string comment)
        {
            foreach (string line in comment.Split('\n'))
                writer.WriteLine("# " + line);
            foreach (var factor in Factors)
                writer.WriteLine(factor.Key + ": " + Math.Round(factor.Get(efficiency), 4).ToString(CultureInfo.InvariantCulture));
            foreach (var tile in Tiles)
                writer.WriteLine(tile.Key + ": " + tile.Get(efficiency).ToString(CultureInfo.InvariantCulture));
        }
    }
}
