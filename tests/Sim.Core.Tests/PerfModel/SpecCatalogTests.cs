using System;
using System.IO;
using NUnit.Framework;
using Sim.Core.PerfModel;

namespace Sim.Core.Tests.PerfModel
{
    public class SpecCatalogTests
    {
        const string Llama2_7bWithoutParameters = @"# test model
name: Test 7B
layers: 32
hidden_size: 4096
heads: 32
kv_heads: 32
intermediate_size: 11008
vocab_size: 32000
max_context_tokens: 4096
";

        const string A100 = @"name: Test GPU
hbm_gib: 80
memory_bandwidth_gb_s: 2039
peak_fp16_tflops: 312
interconnect_gb_s: 300
interconnect_latency_us: 14
pcie_gb_s: 32
host_memory_gib: 256
ssd_gb: 1920
ssd_gb_s: 1.75
";

        string _catalog = "";

        [SetUp]
        public void MakeCatalog()
        {
            _catalog = Path.Combine(TestContext.CurrentContext.TestDirectory, "catalog-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path.Combine(_catalog, "models"));
            Directory.CreateDirectory(Path.Combine(_catalog, "hardware"));
        }

        [TearDown]
        public void RemoveCatalog() => Directory.Delete(_catalog, true);

        void WriteModel(string id, string yaml) => File.WriteAllText(Path.Combine(_catalog, "models", id + ".yaml"), yaml);

        void WriteHardware(string id, string yaml) => File.WriteAllText(Path.Combine(_catalog, "hardware", id + ".yaml"), yaml);

        [Test]
        public void ShippedCatalogHasEveryIdOfTheCliContract()
        {
            Assert.That(SpecCatalog.ModelIds(PerfTestSpecs.CatalogDir), Is.EqualTo(new[]
            {
                "codellama-34b", "deepseek-v2-lite", "llama-2-70b", "llama-2-7b", "llama-3-70b", "llama-3-8b", "llama-3.1-70b", "mixtral-8x7b", "qwen-72b",
            }));
            Assert.That(SpecCatalog.HardwareIds(PerfTestSpecs.CatalogDir), Is.EqualTo(new[] { "a100-80g", "a40", "h100-sxm", "h200", "l40s", "mi300x" }));
            foreach (string id in SpecCatalog.ModelIds(PerfTestSpecs.CatalogDir)) Assert.That(SpecCatalog.LoadModel(PerfTestSpecs.CatalogDir, id).Id, Is.EqualTo(id));
            foreach (string id in SpecCatalog.HardwareIds(PerfTestSpecs.CatalogDir)) Assert.That(SpecCatalog.LoadHardware(PerfTestSpecs.CatalogDir, id).Id, Is.EqualTo(id));
        }

        [Test]
        public void ShippedDenseModelsMatchTheirPublishedParameterCounts()
        {
            // The catalog states each model's published count; the shapes alone must reproduce it for the Llama-style
            // dense models (untied embeddings and LM head), which checks every shape figure in those files.
            foreach (string id in new[] { "llama-2-7b", "llama-2-70b", "llama-3-8b", "llama-3-70b", "codellama-34b" })
            {
                ModelSpec model = PerfTestSpecs.Model(id);
                File.WriteAllText(Path.Combine(_catalog, "models", id + ".yaml"), File.ReadAllText(Path.Combine(PerfTestSpecs.CatalogDir, "models", id + ".yaml")).Replace("parameters:", "# parameters:"));
                Assert.That(SpecCatalog.LoadModel(_catalog, id).ParameterCount, Is.EqualTo(model.ParameterCount), id);
            }
        }

        [Test]
        public void DerivedSizesOfLlama2_7b()
        {
            // Per layer: attention 4 · 4096² = 67,108,864; MLP 3 · 4096 · 11008 = 135,266,304; two norms 8,192.
            // 32 layers = 6,476,267,520, plus embeddings and LM head 2 · 32000 · 4096 = 262,144,000 and the final
            // norm 4,096: 6,738,415,616, Meta's published count. KV: 32 layers · 32 heads · 128 · 2 (K, V) · 2 bytes.
            WriteModel("t7b", Llama2_7bWithoutParameters);
            ModelSpec model = SpecCatalog.LoadModel(_catalog, "t7b");
            Assert.That(model.ParameterCount, Is.EqualTo(6_738_415_616L));
            Assert.That(model.WeightBytes, Is.EqualTo(2 * 6_738_415_616L));
            Assert.That(model.HeadDim, Is.EqualTo(128));
            Assert.That(model.KvBytesPerToken(2), Is.EqualTo(524_288));
            Assert.That(model.KvBytesPerToken(1), Is.EqualTo(262_144));
            Assert.That(model.GatedMlp, Is.True);
            Assert.That(model.IsMoe, Is.False);
        }

        [Test]
        public void GroupedQueryAndLatentKvSizes()
        {
            // Llama-3-8B: 32 layers · 8 KV heads · 128 · 2 · 2 bytes = 131,072. DeepSeek-V2-Lite caches 576 elements
            // per token per layer (512 compressed KV + 64 rotary key): 27 · 576 · 2 = 31,104 bytes.
            Assert.That(PerfTestSpecs.Model("llama-3-8b").KvBytesPerToken(2), Is.EqualTo(131_072));
            Assert.That(PerfTestSpecs.Model("deepseek-v2-lite").KvBytesPerToken(2), Is.EqualTo(31_104));
            ModelSpec mixtral = PerfTestSpecs.Model("mixtral-8x7b");
            Assert.That((mixtral.Experts, mixtral.ExpertsPerToken, mixtral.SharedExperts, mixtral.ExpertIntermediateSize), Is.EqualTo((8, 2, 0, 14336)));
            Assert.That(PerfTestSpecs.Model("llama-3.1-70b").MaxContextTokens, Is.EqualTo(131072));
        }

        [Test]
        public void HardwareUnitsAreConverted()
        {
            WriteHardware("gpu", A100);
            HardwareSpec gpu = SpecCatalog.LoadHardware(_catalog, "gpu");
            Assert.That(gpu.HbmBytes, Is.EqualTo(80L << 30));
            Assert.That(gpu.MemoryBandwidthBytesPerS, Is.EqualTo(2039e9));
            Assert.That(gpu.PeakFp16Flops, Is.EqualTo(312e12));
            Assert.That(gpu.InterconnectBandwidthBytesPerS, Is.EqualTo(300e9));
            Assert.That(gpu.InterconnectLatencyS, Is.EqualTo(14e-6).Within(1e-18));
            Assert.That(gpu.PcieBandwidthBytesPerS, Is.EqualTo(32e9));
            Assert.That(gpu.HostMemoryBytes, Is.EqualTo(256L << 30));
            Assert.That(gpu.SsdBytes, Is.EqualTo(1920_000_000_000L));
            Assert.That(gpu.SsdBandwidthBytesPerS, Is.EqualTo(1.75e9));
        }

        [Test]
        public void AHardwareFileIncludesItsFittedEfficiencies()
        {
            WriteHardware("gpu", A100 + "efficiency: gpu.efficiency.yaml\n");
            File.WriteAllText(Path.Combine(_catalog, "hardware", "gpu.efficiency.yaml"), "# fitted\ngemm_compute: 0.55\ncollective_bandwidth: 0.7\n");
            RooflineEfficiency efficiency = SpecCatalog.LoadHardware(_catalog, "gpu").Efficiency;
            Assert.That((efficiency.GemmCompute, efficiency.CollectiveBandwidth), Is.EqualTo((0.55, 0.7)));
            Assert.That(efficiency.GemmMemory, Is.EqualTo(RooflineEfficiency.Default.GemmMemory), "a factor left out keeps its default");
            Assert.That(RooflineEfficiency.Default.GemmCompute, Is.EqualTo(0.73), "the shared defaults are not touched");
            WriteHardware("plain", A100);
            Assert.That(SpecCatalog.LoadHardware(_catalog, "plain").Efficiency, Is.SameAs(RooflineEfficiency.Default));
        }

        [Test]
        public void AnEfficiencyFileWithAnUnknownOrNonPositiveFactorIsRefused()
        {
            WriteHardware("gpu", A100 + "efficiency: gpu.efficiency.yaml\n");
            string path = Path.Combine(_catalog, "hardware", "gpu.efficiency.yaml");
            File.WriteAllText(path, "gemm_compute: 0\n");
            var error = Assert.Throws<SimInputException>(() => SpecCatalog.LoadHardware(_catalog, "gpu"))!;
            Assert.That((error.Line, error.Field), Is.EqualTo((1, "gemm_compute")));
            File.WriteAllText(path, "gemm_speed: 0.5\n");
            error = Assert.Throws<SimInputException>(() => SpecCatalog.LoadHardware(_catalog, "gpu"))!;
            Assert.That(error.Field, Is.EqualTo("gemm_speed"));
        }

        [Test]
        public void UnknownIdListsTheKnownOnesSorted()
        {
            WriteModel("zeta", Llama2_7bWithoutParameters);
            WriteModel("alpha", Llama2_7bWithoutParameters);
            var e = Assert.Throws<SimInputException>(() => SpecCatalog.LoadModel(_catalog, "gpt-5"))!;
            Assert.That(e.Message, Does.Contain("unknown model id 'gpt-5'").And.EndsWith("known: alpha, zeta"));
            Assert.That(e.File, Does.EndWith("gpt-5.yaml"));
            Assert.That(Assert.Throws<SimInputException>(() => SpecCatalog.LoadHardware(_catalog, "tpu"))!.Message, Does.Contain("unknown hardware id 'tpu'"));
        }

        [Test]
        public void UnknownKeyIsNamedWithItsLine()
        {
            WriteModel("typo", Llama2_7bWithoutParameters + "head_dims: 128\n");
            var e = Assert.Throws<SimInputException>(() => SpecCatalog.LoadModel(_catalog, "typo"))!;
            Assert.That((e.Line, e.Field), Is.EqualTo((10, "head_dims")));
            Assert.That(e.Problem, Does.StartWith("unknown key (did you mean 'head_dim'?)"));

            WriteModel("extra", Llama2_7bWithoutParameters.Replace("vocab_size:", "rope_theta: 10000\nvocab_size:"));
            e = Assert.Throws<SimInputException>(() => SpecCatalog.LoadModel(_catalog, "extra"))!;
            Assert.That((e.Line, e.Field), Is.EqualTo((8, "rope_theta")));

            WriteHardware("extra", A100.Replace("pcie_gb_s: 32", "pcie_gb_s: 32\ntdp_w: 400"));
            e = Assert.Throws<SimInputException>(() => SpecCatalog.LoadHardware(_catalog, "extra"))!;
            Assert.That((e.Line, e.Field), Is.EqualTo((8, "tdp_w")));
        }

        [Test]
        public void MissingKeyIsNamed()
        {
            WriteHardware("nobw", A100.Replace("memory_bandwidth_gb_s: 2039\n", ""));
            var e = Assert.Throws<SimInputException>(() => SpecCatalog.LoadHardware(_catalog, "nobw"))!;
            Assert.That(e.Field, Is.EqualTo("memory_bandwidth_gb_s"));
            Assert.That(e.Problem, Does.StartWith("missing"));
            Assert.That(e.File, Does.EndWith("nobw.yaml"));

            WriteModel("nokv", Llama2_7bWithoutParameters.Replace("kv_heads: 32\n", ""));
            e = Assert.Throws<SimInputException>(() => SpecCatalog.LoadModel(_catalog, "nokv"))!;
            Assert.That(e.Field, Is.EqualTo("kv_heads"));
            Assert.That(e.Problem, Does.StartWith("missing"));
        }

        [Test]
        public void NonNumericAndNonPositiveValuesAreRejectedWithTheirLine()
        {
            WriteModel("words", Llama2_7bWithoutParameters.Replace("layers: 32", "layers: many"));
            var e = Assert.Throws<SimInputException>(() => SpecCatalog.LoadModel(_catalog, "words"))!;
            Assert.That((e.Line, e.Field), Is.EqualTo((3, "layers")));

            WriteModel("zero", Llama2_7bWithoutParameters.Replace("heads: 32\nkv", "heads: 0\nkv"));
            e = Assert.Throws<SimInputException>(() => SpecCatalog.LoadModel(_catalog, "zero"))!;
            Assert.That((e.Line, e.Field), Is.EqualTo((5, "heads")));

            WriteHardware("negative", A100.Replace("peak_fp16_tflops: 312", "peak_fp16_tflops: -312"));
            e = Assert.Throws<SimInputException>(() => SpecCatalog.LoadHardware(_catalog, "negative"))!;
            Assert.That((e.Line, e.Field), Is.EqualTo((4, "peak_fp16_tflops")));

            WriteHardware("text", A100.Replace("hbm_gib: 80", "hbm_gib: eighty"));
            e = Assert.Throws<SimInputException>(() => SpecCatalog.LoadHardware(_catalog, "text"))!;
            Assert.That((e.Line, e.Field), Is.EqualTo((2, "hbm_gib")));
        }

        [Test]
        public void CatalogIsFoundAboveOrInAScenesChild()
        {
            string nested = Path.Combine(_catalog, "a", "b");
            Directory.CreateDirectory(nested);
            Assert.That(SpecCatalog.FindCatalogDir(nested), Is.EqualTo(Path.GetFullPath(_catalog)));

            string project = Path.Combine(_catalog, "project");
            Directory.CreateDirectory(Path.Combine(project, "scenes", "models"));
            Directory.CreateDirectory(Path.Combine(project, "scenes", "hardware"));
            Directory.CreateDirectory(Path.Combine(project, "src"));
            Assert.That(SpecCatalog.FindCatalogDir(Path.Combine(project, "src")), Is.EqualTo(Path.Combine(Path.GetFullPath(project), "scenes")));
        }

        [Test]
        public void TopKAboveTheExpertsIsRefusedWithItsLine()
        {
            WriteModel("moe", Llama2_7bWithoutParameters + "moe:\n  experts: 4\n  experts_per_token: 6\n  expert_intermediate_size: 100\n");
            var e = Assert.Throws<SimInputException>(() => SpecCatalog.LoadModel(_catalog, "moe"))!;
            Assert.That((e.Line, e.Field), Is.EqualTo((12, "moe.experts_per_token")));
        }
    }
}
