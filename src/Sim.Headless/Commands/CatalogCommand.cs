using System.ComponentModel;
using System.Globalization;
using System.IO;
using System.Threading;
using Sim.Core;
using Sim.Core.PerfModel;
using Sim.Headless.Output;
using Spectre.Console;
using Sim.Headless.CommandLine;

namespace Sim.Headless.Commands
{
    /// <summary><c>sim catalog</c>: the model and GPU ids that scenes, <c>perf</c> and <c>calibrate</c> accept, with the figures the perf model uses.</summary>
    public sealed class CatalogCommand : Command<CatalogCommand.Settings>
    {
        public sealed class Settings : CommandSettings
        {
            [CommandOption("--csv")]
            [Description("Print two CSV tables (models, then GPUs, each with a header line) instead of the tables.")]
            public bool Csv { get; set; }
        }

        static readonly string[] ModelColumns = { "model", "name", "params_b", "layers", "hidden", "heads", "kv_heads", "experts", "context_tokens", "kv_kib_per_token" };
        static readonly string[] ModelHeaders = { "model", "name", "params (B)", "layers", "hidden", "heads", "KV heads", "experts", "context", "KV KiB/token" };
        static readonly string[] GpuColumns = { "hardware", "name", "hbm_gib", "memory_tb_s", "fp16_tflops", "interconnect_gb_s", "pcie_gb_s" };
        static readonly string[] GpuHeaders = { "hardware", "name", "HBM GiB", "memory TB/s", "fp16 TFLOPS", "GPU link GB/s", "PCIe GB/s" };

        public override int Execute(Settings settings)
        {
            string catalog = SpecCatalog.FindCatalogDir(Directory.GetCurrentDirectory())
                ?? throw new SimInputException("scenes", 0, "", "no model and hardware catalog found (scenes/models, scenes/hardware)");
            var models = new Table().Title("models (scenes/models/<id>.yaml)").AddColumns(ModelHeaders);
            models.Columns[0].NoWrap();
            models.Columns[1].NoWrap();
            var csv = new System.Text.StringBuilder(string.Join(",", ModelColumns)).Append('\n');
            foreach (string id in SpecCatalog.ModelIds(catalog))
            {
                ModelSpec m = SpecCatalog.LoadModel(catalog, id);
                string[] row =
                {
                    id, m.Name, Number(m.ParameterCount / 1e9, "F1"), Number(m.Layers), Number(m.HiddenSize), Number(m.Heads), Number(m.KvHeads),
                    m.IsMoe ? m.Experts + " (top " + m.ExpertsPerToken + ")" : "-", Number(m.MaxContextTokens), Number(m.KvBytesPerToken(2) / 1024.0, "F0"),
                };
                models.AddRow(System.Array.ConvertAll(row, Markup.Escape));
                csv.Append(string.Join(",", System.Array.ConvertAll(row, Field))).Append('\n');
            }
            var gpus = new Table().Title("GPUs (scenes/hardware/<id>.yaml)").AddColumns(GpuHeaders);
            csv.Append(string.Join(",", GpuColumns)).Append('\n');
            foreach (string id in SpecCatalog.HardwareIds(catalog))
            {
                HardwareSpec g = SpecCatalog.LoadHardware(catalog, id);
                string[] row =
                {
                    id, g.Name, Number(g.HbmBytes / (double)(1L << 30), "F0"), Number(g.MemoryBandwidthBytesPerS / 1e12, "F2"), Number(g.PeakFp16Flops / 1e12, "F0"),
                    Number(g.InterconnectBandwidthBytesPerS / 1e9, "F0"), Number(g.PcieBandwidthBytesPerS / 1e9, "F0"),
                };
                gpus.AddRow(System.Array.ConvertAll(row, Markup.Escape));
                csv.Append(string.Join(",", System.Array.ConvertAll(row, Field))).Append('\n');
            }
            if (settings.Csv)
            {
                System.Console.Out.Write(csv.ToString());
                return 0;
            }
            IAnsiConsole console = Terminal.Stdout();
            if (System.Console.IsOutputRedirected) console.Profile.Width = System.Math.Max(console.Profile.Width, 130);
            console.Write(models);
            console.Write(gpus);
            System.Console.Out.WriteLine("KV at fp16 over all layers; fp16 is the dense tensor peak; links per direction. Catalog: " + catalog);
            return 0;
        }

        static string Number(double value, string format = "F0") => value.ToString(format, CultureInfo.InvariantCulture);

        static string Field(string text) => text.Contains(',') ? "\"" + text + "\"" : text;
    }
}
