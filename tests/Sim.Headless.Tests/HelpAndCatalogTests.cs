using System.Linq;
using System.Reflection;
using NUnit.Framework;
using Sim.Headless.CommandLine;

namespace Sim.Headless.Tests
{
    public class HelpAndCatalogTests
    {
        [Test]
        public void EveryFlagAndArgumentOfEveryCommandIsDescribed()
        {
            var settings = typeof(Program).Assembly.GetTypes().Where(t => typeof(CommandSettings).IsAssignableFrom(t)).ToList();
            Assert.That(settings.Count, Is.GreaterThanOrEqualTo(9), "every command's settings were found");
            foreach (var type in settings)
                foreach (PropertyInfo property in type.GetProperties().Where(p => p.GetCustomAttribute<CommandOptionAttribute>() != null || p.GetCustomAttribute<CommandArgumentAttribute>() != null))
                    Assert.That(property.GetCustomAttribute<System.ComponentModel.DescriptionAttribute>()?.Description, Is.Not.Null.And.Not.Empty, type.Name + "." + property.Name);
        }

        [Test]
        public void SimWithoutACommandPrintsUsageAndFails()
        {
            var (code, stdout, _) = CliRunner.Run();
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stdout, Does.Contain("USAGE").And.Contain("run").And.Contain("catalog"));
        }

        [Test]
        public void PerfHelpPointsToTheCatalog()
        {
            var (code, stdout, _) = CliRunner.Run("perf", "--help");
            Assert.That(code, Is.EqualTo(0));
            Assert.That(stdout, Does.Contain("sim catalog"));
        }

        [Test]
        public void CatalogListsModelsAndGpusWithTheirDatasheetFigures()
        {
            var (code, stdout, stderr) = CliRunner.Run("catalog", "--csv");
            Assert.That(code, Is.EqualTo(0), stderr);
            string[] lines = stdout.Replace("\r", "").Split('\n', System.StringSplitOptions.RemoveEmptyEntries);
            Assert.That(lines[0], Is.EqualTo("model,name,params_b,layers,hidden,heads,kv_heads,experts,context_tokens,kv_kib_per_token"));
            // Llama 2 7B (Touvron et al. 2023): 6.7 B parameters, 32 layers of 4096, 32 heads, no GQA, 4k context;
            // K and V at fp16: 2 x 32 layers x 4096 x 2 bytes = 512 KiB a token.
            Assert.That(lines.Single(l => l.StartsWith("llama-2-7b,")), Does.EndWith(",6.7,32,4096,32,32,-,4096,512"));
            Assert.That(lines.Single(l => l.StartsWith("mixtral-8x7b,")), Does.Contain(",8 (top 2),"));
            int gpuHeader = System.Array.IndexOf(lines, "hardware,name,hbm_gib,memory_tb_s,fp16_tflops,interconnect_gb_s,pcie_gb_s");
            Assert.That(gpuHeader, Is.GreaterThan(1));
            // A100 80GB SXM datasheet: 80 GB, 2.039 TB/s, 312 dense fp16 TFLOPS, NVLink 600 GB/s both ways (300 each).
            Assert.That(lines.Skip(gpuHeader).Single(l => l.StartsWith("a100-80g,")), Does.EndWith(",80,2.04,312,300,32"));
            var table = CliRunner.Run("catalog");
            Assert.That(table.Out, Does.Contain("llama-3.1-70b").And.Contain("h100-sxm").And.Contain("Catalog: "));
        }
    }
}
