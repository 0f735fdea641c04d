using System.IO;
using NUnit.Framework;

namespace Sim.Headless.Tests
{
    public class CompareCommandTests
    {
        static string Fixture(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "compare", name);

        [Test]
        public void PairsEveryNumericFieldWithItsRatio()
        {
            // By hand: 90 -> 99 is 1.1; 2.0 -> 0.5 is 0.25; 4 -> 5 is 1.25; 0 -> 3 has no ratio; only_b only in B.
            var (code, stdout, stderr) = CliRunner.Run("compare", Fixture("a.json"), Fixture("b.json"), "--csv");
            Assert.That(code, Is.EqualTo(0), stderr);
            Assert.That(stdout.Replace("\r", "").Split('\n', System.StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
            {
                "field,a,b,ratio",
                "requests.total,100,100,1",
                "requests.completed,90,99,1.1",
                "ttft_s.p99,2,0.5,0.25",
                "throughput.requests_per_s,4,5,1.25",
                "preemptions,0,3,",
                "extra.only_b,,7,",
            }));
        }

        [Test]
        public void TheTableShowsTextFieldsAbove()
        {
            var (code, stdout, _) = CliRunner.Run("compare", Fixture("a.json"), Fixture("b.json"));
            Assert.That(code, Is.EqualTo(0));
            Assert.That(stdout, Does.Contain("scene: base | sarathi"));
            Assert.That(stdout, Does.Contain("0.250"));
        }

        [Test]
        public void MissingOrMalformedFilesAreOneLineExit2()
        {
            var missing = CliRunner.Run("compare", Fixture("a.json"), Fixture("nope.json"));
            Assert.That(missing.ExitCode, Is.EqualTo(2));
            Assert.That(missing.Error.Trim(), Does.StartWith("error: ").And.Contain("nope.json").And.Contain("file not found"));
            string broken = Path.Combine(Path.GetTempPath(), "broken-summary.json");
            File.WriteAllText(broken, "{ \"scene\": ");
            var malformed = CliRunner.Run("compare", broken, Fixture("a.json"));
            Assert.That(malformed.ExitCode, Is.EqualTo(2));
            Assert.That(malformed.Error.Trim().Split('\n').Length, Is.EqualTo(1));
            Assert.That(malformed.Error, Does.Contain("broken-summary.json").And.Contain("not JSON"));
        }
    }
}
