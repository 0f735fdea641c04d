using System;
using System.IO;
using System.Linq;
using NUnit.Framework;
using Sim.Core;

namespace Sim.Headless.Tests
{
    /// <summary>Error lines that quote the user's files cannot drive the terminal, and say what is wrong rather than a symptom.</summary>
    public class InputMessageTests
    {
        string _dir = "";

        [SetUp]
        public void MakeFolder()
        {
            _dir = Path.Combine(TestContext.CurrentContext.TestDirectory, "input-message-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
            File.WriteAllText(Path.Combine(_dir, "trace.csv"), "arrived_at,num_prefill_tokens,num_decode_tokens\n0,100,10\n1,100,10\n");
        }

        [TearDown]
        public void RemoveFolder() => Directory.Delete(_dir, true);

        string Scene(string body)
        {
            string path = Path.Combine(_dir, "scene.yaml");
            File.WriteAllText(path, body);
            return path;
        }

        const string Valid = "model: llama-2-7b\nhardware: a100-80g\nworkload:\n  trace: trace.csv\n";

        static string OneErrorLine(params string[] args)
        {
            var (code, _, stderr) = CliRunner.Run(args[0] == "run" ? args.Append("--backend").Append("cpu").ToArray() : args);
            Assert.That(code, Is.EqualTo(2), stderr);
            Assert.That(stderr.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), stderr);
            Assert.That(stderr.TrimEnd('\n').Any(char.IsControl), Is.False, "no control character reaches the terminal");
            return stderr;
        }

        [Test]
        public void EscapeMakesControlAndBidiCharactersVisible()
        {
            Assert.That(InputText.Escape("a\u001b[1mb\r\u009b\u202e\tz"), Is.EqualTo("a\\x1b[1mb\\r\\x9b\\u202e\\tz"));
            Assert.That(InputText.Escape("plain: ünïcode ok"), Is.EqualTo("plain: ünïcode ok"));
        }

        [Test]
        public void EscapeSequencesInASceneValueAreEchoedEscaped()
        {
            string stderr = OneErrorLine("run", Scene("model: \"\\e[2J\\e]0;pwned\\a\"\nhardware: a100-80g\nworkload:\n  trace: trace.csv\n"), "--out", Path.Combine(_dir, "o"));
            Assert.That(stderr, Does.Contain("unknown value '\\x1b[2J\\x1b]0;pwned\\x07'"));
        }

        [Test]
        public void EscapeSequencesInATraceAreEchoedEscaped()
        {
            File.AppendAllText(Path.Combine(_dir, "trace.csv"), "2,1\u001b[31m00,10\n");
            string stderr = OneErrorLine("run", Scene(Valid), "--out", Path.Combine(_dir, "o"));
            Assert.That(stderr, Does.Contain("trace.csv:4: num_prefill_tokens: '1\\x1b[31m00' is not a number"));
        }

        [Test]
        public void AnEscapeInAFlagIsEchoedEscaped()
        {
            string stderr = OneErrorLine("run", Scene(Valid), "--trace-format", "\u001b[8mhidden");
            Assert.That(stderr, Does.Contain("unknown format '\\x1b[8mhidden'"));
        }

        [Test]
        public void AHugeBlockBlamesTheBlockNotTheWeights()
        {
            // Llama-2-7B's fp16 KV is 32 layers x 32 heads x 128 dims x 2 x 2 bytes = 512 KiB a token: a 1e6-token page is 488.28 GiB,
            // more than an A100's 80 GB.
            string stderr = OneErrorLine("run", Scene(Valid + "kv: { block_tokens: 1000000 }\n"), "--out", Path.Combine(_dir, "o"));
            Assert.That(stderr, Does.Contain("kv.block_tokens: one page of 1000000 tokens needs 488.3 GiB of KV"));
            Assert.That(stderr, Does.Not.Contain("weights"));
        }

        [TestCase("model")]
        [TestCase("hardware")]
        public void AMissingModelOrHardwareSaysMissing(string key)
        {
            string body = string.Join("\n", Valid.Split('\n').Where(line => !line.StartsWith(key + ":")));
            string stderr = OneErrorLine("run", Scene(body), "--out", Path.Combine(_dir, "o"));
            Assert.That(stderr, Does.Contain(key + ": missing; name one from the catalog: "));
            Assert.That(stderr, Does.Not.Contain("unknown value ''"));
        }

        [Test]
        [Platform("Linux")]
        public void AnEndlessTraceStopsAtTheLineLimit()
        {
            string stderr = OneErrorLine("trace", "stats", "/dev/zero");
            Assert.That(stderr, Does.StartWith("error: /dev/zero:1: a line longer than 1048576 characters"));
            stderr = OneErrorLine("run", Scene(Valid), "--trace", "/dev/zero", "--trace-format", "azure", "--out", Path.Combine(_dir, "o"));
            Assert.That(stderr, Does.StartWith("error: /dev/zero:1: a line longer than"));
        }

        [Test]
        public void AFolderGivenAsTraceOrSceneSaysItIsAFolder()
        {
            string stderr = OneErrorLine("run", Scene(Valid), "--trace", _dir, "--out", Path.Combine(_dir, "o"));
            Assert.That(stderr, Does.Contain(": is a folder, not a trace file"));
            stderr = OneErrorLine("trace", "stats", _dir);
            Assert.That(stderr, Does.Contain(": is a folder, not a trace file"));
            stderr = OneErrorLine("run", _dir);
            Assert.That(stderr, Does.Contain(": is a folder, not a scene file"));
        }
    }
}
