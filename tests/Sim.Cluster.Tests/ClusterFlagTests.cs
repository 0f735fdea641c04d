using System;
using System.IO;
using NUnit.Framework;
using Sim.Headless;

namespace Sim.Cluster.Tests
{
    /// <summary>The cluster flags' mistakes: one line, exit 2, nothing written.</summary>
    [NonParallelizable]
    public class ClusterFlagTests
    {
        static (int Code, string Error) Run(params string[] args)
        {
            TextWriter oldError = Console.Error;
            var error = new StringWriter();
            Console.SetError(error);
            try
            {
                return (Program.Main(args), error.ToString());
            }
            finally
            {
                Console.SetError(oldError);
            }
        }

        [Test]
        public void ResumeWithoutAClusterIsRefusedBeforeAnythingRuns()
        {
            string dir = Path.Combine(TestContext.CurrentContext.TestDirectory, "flag-tests", Guid.NewGuid().ToString("N"));
            var fixture = new SweepFixture(dir, 20, "  scheduler.policy: [vllm]\n");
            string outDir = Path.Combine(dir, "out");

            var (code, error) = Run("sweep", fixture.SweepPath, "--resume", "--out", outDir);

            Assert.That(code, Is.EqualTo(2));
            Assert.That(error, Is.EqualTo("error: --resume: needs --cluster (a local sweep keeps no points)\n"));
            Assert.That(Directory.Exists(outDir), Is.False);
            Directory.Delete(dir, true);
        }

        [TestCase("--slots", "0", "error: --slots: must be at least 1\n")]
        [TestCase("--port", "70000", "error: --port: must be a port number, 1 to 65535\n")]
        [TestCase("--advertise", "10.0.0.1", "error: --advertise: needs --redis (localhost clustering stays on 127.0.0.1)\n")]
        [TestCase("--advertise", "not-an-address", "error: --advertise: 'not-an-address' is not an IP address\n")]
        public void WorkerFlagMistakesAreOneLine(string flag, string value, string expected)
        {
            var (code, error) = Run("worker", flag, value);

            Assert.That(code, Is.EqualTo(2));
            Assert.That(error, Is.EqualTo(expected));
        }
    }
}
