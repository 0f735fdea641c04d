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
        /// <summary>The fitted factors: YAML key, and how to read and set it.</summary>
        internal static readonly (string Key, Func<RooflineEfficiency, double> Get, Action<RooflineEfficiency, double> Set)[] Factors =
        {
            ("gemm_compute", e => e.GemmCompute, (e, v) => e.GemmCompute = v),
            ("gemm_memory", e => e.GemmMemory, (e, v) => e.GemmMemory = v),
            ("norm_memory", e => e.NormMemory, (e, v) => e.NormMemory = v),
            ("pointwise_memory", e => e.PointwiseMemory, (e, v) => e.PointwiseMemory = v),
            ("add_memory", e => e.AddMemory, (e, v) => e.AddMemory = v),
            ("attention_compute", e => e.AttentionCompute, (e, v) => e.AttentionCompute = v),
            ("attention_memory", e => e.AttentionMemory, (e, v) => e.AttentionMemory = v),
            ("collective_bandwidth", e => e.CollectiveBandwidth, (e, v) => e.CollectiveBandwidth = v),
        };

        public static RooflineEfficiency Read(string path)
        {
            if (!File.Exists(path)) throw new SimInputException(path, 0, "", "no such efficiency file");
            var file = new YamlSection(YamlFile.LoadMapping(path, "an efficiency file is a mapping of factor: value"), new SceneSource(path), "");
            var efficiency = new RooflineEfficiency();
            foreach (var factor in Factors)
                factor.Set(efficiency, file.Double(factor.Key, factor.Get(efficiency), 0, exclusiveMin: true));
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
        }
    }
}
