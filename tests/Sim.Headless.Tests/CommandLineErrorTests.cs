using System;
using System.IO;
using System.Text;
using NUnit.Framework;
using Sim.Headless.CommandLine;

namespace Sim.Headless.Tests
{
    /// <summary>Unknown flags and anything thrown at the top level: one line, exit 2 (user) or 3 (device or IO), no stack trace.</summary>
    public class CommandLineErrorTests
    {
        string _dir = "";

        [SetUp]
        public void MakeFolder()
        {
            _dir = Path.Combine(TestContext.CurrentContext.TestDirectory, "cli-error-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
            var trace = new StringBuilder("arrived_at,num_prefill_tokens,num_decode_tokens\n");
            for (int i = 0; i < 40; i++) trace.Append(i * 0.5).Append(",200,20\n");
            File.WriteAllText(Path.Combine(_dir, "trace.csv"), trace.ToString());
            File.WriteAllText(Scene, "name: s\nmodel: llama-2-7b\nhardware: a100-80g\nkv: { capacity_tokens: 8000 }\nworkload:\n  trace: trace.csv\n");
        }

        [TearDown]
        public void RemoveFolder() => Directory.Delete(_dir, true);

        string Scene => Path.Combine(_dir, "scene.yaml");

        static void AssertOneLine(string stderr, string contains)
        {
            Assert.That(stderr.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), stderr);
            Assert.That(stderr, Does.StartWith("error: ").And.Contain(contains).And.Not.Contain("   at "));
        }

        [TestCase("--request", "5", "--requests")]
        [TestCase("--time_scale", "2", "--time-scale")]
        [TestCase("--seeed", "3", "--seed")]
        [TestCase("--jsn", null, "--json")]
        public void AMisspeltFlagOnRunStopsAndNamesTheClosest(string flag, string? value, string closest)
        {
            string[] args = value == null ? new[] { "run", Scene, "--out", Path.Combine(_dir, "out"), flag } : new[] { "run", Scene, "--out", Path.Combine(_dir, "out"), flag, value };
            var (code, _, stderr) = CliRunner.Run(args);
            Assert.That(code, Is.EqualTo(2));
            AssertOneLine(stderr, "unknown option '" + flag + "'; did you mean " + closest + "?");
            Assert.That(Directory.Exists(Path.Combine(_dir, "out")), Is.False, "nothing ran");
        }

        [Test]
        public void EveryCommandRefusesUnknownFlags()
        {
            string[][] commands =
            {
                new[] { "perf", "--model", "llama-2-7b", "--hardware", "a100-80g", "--tpp", "4" },
                new[] { "trace", "stats", Path.Combine(_dir, "trace.csv"), "--bogus" },
                new[] { "sweep", Path.Combine(_dir, "none.yaml"), "-x" },
                new[] { "capacity", Scene, "--slo", "ttft_p99=2", "--tolerence", "0.1" },
                new[] { "view", Scene, "--prot", "0" },
                new[] { "compare", "a.json", "b.json", "--csvv" },
                new[] { "calibrate", "--profiles", _dir, "--model", "llama-2-7b", "--hardware", "a100-80g", "--output", "x.yaml" },
            };
            foreach (string[] args in commands)
            {
                var (code, _, stderr) = CliRunner.Run(args);
                Assert.That(code, Is.EqualTo(2), string.Join(" ", args));
                AssertOneLine(stderr, "unknown option");
            }
        }

        [Test]
        public void ArgumentsAfterADoubleDashAreRefused()
        {
            var (code, _, stderr) = CliRunner.Run("run", Scene, "--", "extra");
            Assert.That(code, Is.EqualTo(2));
            AssertOneLine(stderr, "unexpected argument 'extra'");
        }

        [Test]
        public void ClosestFlagIsTheFewestEdits()
        {
            // Worked by hand: kitten -> sitting takes three edits (k->s, e->i, +g); "" -> "abc" three insertions.
            Assert.That(Suggestions.EditDistance("kitten", "sitting"), Is.EqualTo(3));
            Assert.That(Suggestions.EditDistance("", "abc"), Is.EqualTo(3));
            Assert.That(Suggestions.Closest("--outt", new[] { "--help", "--out", "--json" }), Is.EqualTo("--out"));
        }

        [TestCase("run")]
        [TestCase("perf")]
        [TestCase("calibrate")]
        [TestCase("sweep")]
        [TestCase("capacity")]
        [TestCase("view")]
        [TestCase("compare")]
        public void HelpOfEveryCommandPrints(string command)
        {
            var (code, stdout, stderr) = CliRunner.Run(command, "--help");
            Assert.That(code, Is.EqualTo(0), stderr);
            Assert.That(stdout, Does.Contain("--"));
        }

        [Test]
        public void SweepHelpShowsTheBracketsOfItsGridSyntax()
        {
            var (code, stdout, _) = CliRunner.Run("sweep", "--help");
            Assert.That(code, Is.EqualTo(0));
            Assert.That(stdout, Does.Contain("[values]"));
        }

        [TestCase("--seed", "99999999999999999999999")]
        [TestCase("--requests", "abc")]
        public void AFlagValueOutOfItsTypeNamesTheFlag(string flag, string value)
        {
            var (code, _, stderr) = CliRunner.Run("run", Scene, flag, value);
            Assert.That(code, Is.EqualTo(2));
            AssertOneLine(stderr, flag + ": '" + value + "' is not a value this flag takes");
            Assert.That(stderr, Does.Not.Contain("Nullable"));
        }

        [Test]
        public void ASweepPointThatFailsWhenBuiltIsOneLine()
        {
            // One page needs 16 tokens: capacity 8 fails when the point's simulation is built, inside the parallel loop.
            string sweep = Path.Combine(_dir, "sweep.yaml");
            File.WriteAllText(sweep, "scene: scene.yaml\ngrid:\n  kv.capacity_tokens: [8000, 8]\n");
            var (code, _, stderr) = CliRunner.Run("sweep", sweep, "--out", Path.Combine(_dir, "swept"));
            Assert.That(code, Is.EqualTo(2));
            AssertOneLine(stderr, "kv.capacity_tokens");
            Assert.That(Directory.Exists(Path.Combine(_dir, "swept")), Is.False);
        }

        [Test]
        public void AStdoutThatFailsExitsThreeWithOneLine()
        {
            var (code, _, stderr) = CliRunner.RunWithStdout(new FailingWriter(), "run", Scene, "--out", Path.Combine(_dir, "out"), "--json", "--backend", "cpu");
            Assert.That(code, Is.EqualTo(3));
            AssertOneLine(stderr, "stdout: cannot write: No space left on device");
        }

        [Test]
        public void VerboseAddsTheDetailAfterTheLine()
        {
            var (code, _, stderr) = CliRunner.Run("run", Path.Combine(_dir, "missing.yaml"), "--verbose");
            Assert.That(code, Is.EqualTo(2));
            string[] lines = stderr.TrimEnd('\n').Split('\n');
            Assert.That(lines[0], Does.StartWith("error: ").And.Contain("scene file not found"));
            Assert.That(lines.Length, Is.GreaterThan(2));
            Assert.That(stderr, Does.Contain("SimInputException"));
        }

        /// <summary>A stdout on a full disk.</summary>
        sealed class FailingWriter : StringWriter
        {
            public override void Write(char value) => throw new IOException("No space left on device");

            public override void Write(string? value) => throw new IOException("No space left on device");

            public override void Write(char[] buffer, int index, int count) => throw new IOException("No space left on device");
        }
    }
}
