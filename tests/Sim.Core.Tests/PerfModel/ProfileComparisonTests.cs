using System.IO;
using System.Linq;
using NUnit.Framework;
using Sim.Core.PerfModel;

namespace Sim.Core.Tests.PerfModel
{
    /// <summary>The default efficiencies against measured A100 profiles (excerpts of the files they were calibrated on).</summary>
    public class ProfileComparisonTests
    {
        [TestCase("Llama-2-7b-hf_mlp.csv")]
        [TestCase("Llama-2-70b-hf_mlp.csv")]
        [TestCase("Meta-Llama-3-8B_mlp.csv")]
        public void GemmMedianErrorIsUnderFifteenPercent(string file)
        {
            MlpProfile profile = MlpProfile.Read(PerfTestSpecs.Fixture(file));
            Assert.That(profile.Rows, Has.Count.EqualTo(40), "10 token counts × TP 1, 2, 4, 8");
            var errors = ProfileComparison.CompareMlp(profile, PerfTestSpecs.A100, RooflineEfficiency.Default, 4096);
            foreach (string op in ProfileComparison.GemmOperators)
            {
                OperatorError error = errors.Single(e => e.Op == op);
                Assert.That(error.Rows, Is.EqualTo(40), op);
                Assert.That(error.MedianRelativeError, Is.LessThan(0.15), op);
                Assert.That(error.P90RelativeError, Is.GreaterThanOrEqualTo(error.MedianRelativeError), op);
            }
        }

        [Test]
        public void TokenLimitLeavesOutLargerRows()
        {
            MlpProfile profile = MlpProfile.Read(PerfTestSpecs.Fixture("Llama-2-7b-hf_mlp.csv"));
            var errors = ProfileComparison.CompareMlp(profile, PerfTestSpecs.A100, RooflineEfficiency.Default, 256);
            Assert.That(errors.Select(e => e.Rows).Distinct(), Is.EqualTo(new[] { 24 }), "1, 16, 64, 128, 136, 256 tokens × 4 TP degrees");
        }

        [Test]
        public void TwoGpuAllReduceMedianErrorIsUnderFifteenPercent()
        {
            AllReduceProfile profile = AllReduceProfile.Read(PerfTestSpecs.Fixture("all_reduce_pairwise_nvlink.csv"));
            OperatorError error = ProfileComparison.CompareAllReduce(profile, PerfTestSpecs.A100, RooflineEfficiency.Default, 2);
            Assert.That(error.Rows, Is.EqualTo(23));
            Assert.That(error.MedianRelativeError, Is.LessThan(0.15));
        }

        [Test]
        public void MissingColumnIsNamed()
        {
            string path = Path.Combine(Path.GetTempPath(), "sim-profile-" + System.Guid.NewGuid().ToString("N") + ".csv");
            File.WriteAllText(path, "num_tokens,num_tensor_parallel_workers\n1,1\n");
            try
            {
                var error = Assert.Throws<SimInputException>(() => MlpProfile.Read(path))!;
                Assert.That((error.Line, error.Field), Is.EqualTo((1, "n_head")));
            }
            finally
            {
                File.Delete(path);
            }
        }
    }
}
