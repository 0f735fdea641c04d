using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using NUnit.Framework;
using Sim.Core;
using Sim.Headless.Output;
using Sim.Tests.Shared;

namespace Sim.Headless.Tests
{
    /// <summary>Outputs appear all together or not at all, never over something that is not a regular file, and never as leftovers.</summary>
    public class OutputSafetyTests
    {
        string _dir = "";

        [SetUp]
        public void MakeFolder()
        {
            _dir = Path.Combine(TestContext.CurrentContext.TestDirectory, "output-safety-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
            var trace = new StringBuilder("arrived_at,num_prefill_tokens,num_decode_tokens\n");
            for (int i = 0; i < 40; i++) trace.Append(i * 0.5).Append(",200,20\n");
            File.WriteAllText(Path.Combine(_dir, "trace.csv"), trace.ToString());
            WriteScene("kv: { capacity_tokens: 8000 }\n");
        }

        [TearDown]
        public void RemoveFolder() => Directory.Delete(_dir, true);

        string Scene => Path.Combine(_dir, "scene.yaml");

        string Out => Path.Combine(_dir, "out");

        void WriteScene(string kv) => File.WriteAllText(Scene, "name: s\nmodel: llama-2-7b\nhardware: a100-80g\n" + kv + "workload:\n  trace: trace.csv\n");

        string[] Leftovers() => Directory.GetFiles(_dir, "*.tmp*", SearchOption.AllDirectories);

        /// <summary>The CLI on the CPU backend (auto would add its notice line).</summary>
        static (int ExitCode, string Out, string Error) Run(params string[] args) => CliRunner.Run(args.Append("--backend").Append("cpu").ToArray());

        static void AssertOneLine(string stderr, string contains)
        {
            Assert.That(stderr.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), stderr);
            Assert.That(stderr, Does.StartWith("error: ").And.Contain(contains));
        }

        [Test]
        [Platform("Linux")]
        public void ADeviceNodeAsTimelineIsRefusedBeforeAnything()
        {
            var (code, _, stderr) = Run("run", Scene, "--out", Out, "--timeline", "/dev/full");
            Assert.That(code, Is.EqualTo(2));
            AssertOneLine(stderr, "--timeline: '/dev/full' exists and is not a regular file");
            Assert.That(Directory.Exists(Out), Is.False);
            Assert.That(File.Exists("/dev/full") && (File.GetAttributes("/dev/full") & FileAttributes.Directory) == 0, "the device is still there");
        }

        [Test]
        public void AFolderAsTimelineOrAFileAsOutIsRefused()
        {
            string file = Path.Combine(_dir, "file.txt");
            File.WriteAllText(file, "keep me");
            var (code, _, stderr) = Run("run", Scene, "--out", file);
            Assert.That(code, Is.EqualTo(2));
            AssertOneLine(stderr, "exists and is not a folder");
            Assert.That(File.ReadAllText(file), Is.EqualTo("keep me"));

            (code, _, stderr) = Run("run", Scene, "--out", Path.Combine(file, "below"));
            Assert.That(code, Is.EqualTo(2));
            AssertOneLine(stderr, "exists and is not a folder, so nothing can be written under it");

            (code, _, stderr) = Run("run", Scene, "--out", Out, "--timeline", _dir);
            Assert.That(code, Is.EqualTo(2));
            AssertOneLine(stderr, "is not a regular file (a folder)");
            Assert.That(Directory.Exists(Out), Is.False);
        }

        [TestCase("--out")]
        [TestCase("--timeline")]
        public void AnEmptyPathIsAUserError(string flag)
        {
            var (code, _, stderr) = Run(flag == "--out" ? new[] { "run", Scene, "--out", "" } : new[] { "run", Scene, "--out", Out, "--timeline", " " });
            Assert.That(code, Is.EqualTo(2));
            AssertOneLine(stderr, flag + ": an empty path");
        }

        [Test]
        public void AnErrorWhileBuildingLeavesNoFolderAndNoFiles()
        {
            // 8 tokens is less than one 16-token page: found when the simulation is built, after the outputs were opened.
            WriteScene("kv: { capacity_tokens: 8 }\n");
            string outDir = Path.Combine(_dir, "new", "deeper");
            var (code, _, stderr) = Run("run", Scene, "--out", outDir, "--timeline", Path.Combine(_dir, "tl", "run.json"));
            Assert.That(code, Is.EqualTo(2));
            AssertOneLine(stderr, "kv.capacity_tokens");
            Assert.That(Directory.Exists(Path.Combine(_dir, "new")), Is.False);
            Assert.That(Directory.Exists(Path.Combine(_dir, "tl")), Is.False);
            Assert.That(Leftovers(), Is.Empty);
        }

        [Test]
        public void ABadTraceRowMidRunLeavesTheEarlierOutputsAndTimelineUntouched()
        {
            var (code, _, stderr) = Run("run", Scene, "--out", Out, "--timeline", Path.Combine(_dir, "run.json"));
            Assert.That(code, Is.EqualTo(0), stderr);
            var before = Directory.GetFiles(Out).Append(Path.Combine(_dir, "run.json")).ToDictionary(f => f, File.ReadAllBytes);
            File.AppendAllText(Path.Combine(_dir, "trace.csv"), "30,-5,20\n");
            (code, _, stderr) = Run("run", Scene, "--out", Out, "--timeline", Path.Combine(_dir, "run.json"), "--seed", "7");
            Assert.That(code, Is.EqualTo(2));
            AssertOneLine(stderr, "trace.csv:42");
            foreach (var (file, bytes) in before) Assert.That(File.ReadAllBytes(file), Is.EqualTo(bytes), file);
            Assert.That(Leftovers(), Is.Empty);
        }

        [Test]
        public void WhenOneRenameFailsEveryTargetKeepsItsOldContent()
        {
            string a = Path.Combine(_dir, "a", "one.txt"), b = Path.Combine(_dir, "b", "two.txt");
            Directory.CreateDirectory(Path.GetDirectoryName(a)!);
            File.WriteAllText(a, "old one");
            using var outputs = new OutputTransaction();
            using (var one = new StreamWriter(outputs.CreateAt(a, "--a"))) one.Write("new one");
            using (var two = new StreamWriter(outputs.CreateAt(b, "--b"))) two.Write("new two");
            // The second file's temporary copy vanishes (as on a disk pulled away): its rename fails after the first's.
            foreach (string temp in Directory.GetFiles(Path.GetDirectoryName(b)!, ".two.txt.*.tmp")) File.Delete(temp);
            Assert.Throws<OutputWriteException>(outputs.Commit);
            Assert.That(File.ReadAllText(a), Is.EqualTo("old one"));
            Assert.That(File.Exists(b), Is.False);
            Assert.That(Directory.GetFiles(Path.GetDirectoryName(a)!), Is.EqualTo(new[] { a }), "no temporary or backup copy left");
        }

        [Test]
        public void ASuccessfulRunReplacesEarlierOutputsAndLeavesNoTemporaryFile()
        {
            Directory.CreateDirectory(Out);
            File.WriteAllText(Path.Combine(Out, "summary.json"), "stale");
            var (code, _, stderr) = Run("run", Scene, "--out", Out, "--timeline", Path.Combine(Out, "t.json"));
            Assert.That(code, Is.EqualTo(0), stderr);
            Assert.That(File.ReadAllText(Path.Combine(Out, "summary.json")), Does.StartWith("{"));
            Assert.That(Directory.GetFiles(Out).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal),
                Is.EqualTo(new[] { "iterations.csv", "requests.csv", "summary.json", "t.json" }));
            Assert.That(Leftovers(), Is.Empty);
        }

        [Test]
        public void CalibrateRefusesAnOutputItCannotWriteWithOneLine()
        {
            string file = Path.Combine(_dir, "file.txt");
            File.WriteAllText(file, "keep me");
            var (code, _, stderr) = CliRunner.Run("calibrate", "--profiles", Repository.PathOf("scenes", "profiles", "a100-excerpt"), "--model", "llama-3-8b", "--hardware", "a100-80g",
                "--out", Path.Combine(file, "fitted.yaml"));
            Assert.That(code, Is.EqualTo(2));
            AssertOneLine(stderr, "--out: '" + file + "' exists and is not a folder, so nothing can be written under it");
            (code, _, stderr) = CliRunner.Run("calibrate", "--profiles", Repository.PathOf("scenes", "profiles", "a100-excerpt"), "--model", "llama-3-8b", "--hardware", "a100-80g", "--out", _dir);
            Assert.That(code, Is.EqualTo(2));
            AssertOneLine(stderr, "is not a regular file (a folder)");
            Assert.That(File.ReadAllText(file), Is.EqualTo("keep me"));
        }

        [DllImport("libc", SetLastError = true)]
        static extern int kill(int pid, int signal);

        [TestCase(2, 130)]
        [TestCase(15, 143)]
        [Platform("Linux")]
        public void ASignalMidRunRemovesTheTemporaryFiles(int signal, int expectedExit)
        {
            // The whole Azure conversation trace through four replicas: seconds of work, time enough to interrupt it.
            string sim = Path.Combine(TestContext.CurrentContext.TestDirectory, "sim");
            var start = new ProcessStartInfo("env") { RedirectStandardError = true, RedirectStandardOutput = true };
            // env resets the signal to its default: a test runner in the background may have been started ignoring SIGINT.
            foreach (string arg in new[] { "--default-signal=INT,TERM", sim, "run", Repository.PathOf("scenes", "examples", "azure-conv-4x-llama2-70b.yaml"), "--backend", "cpu", "--out", Out, "--timeline", Path.Combine(_dir, "t.json") })
                start.ArgumentList.Add(arg);
            using Process process = Process.Start(start)!;
            var clock = Stopwatch.StartNew();
            while (Leftovers().Length < 2 && !process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(5);
            Assert.That(Leftovers(), Has.Length.GreaterThanOrEqualTo(2), "the run opened its outputs");
            Assert.That(kill(process.Id, signal), Is.EqualTo(0));
            string stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.That(process.ExitCode, Is.EqualTo(expectedExit), stderr);
            Assert.That(stderr, Does.Contain("interrupted by SIG"));
            Assert.That(Leftovers(), Is.Empty);
            Assert.That(Directory.Exists(Out), Is.False);
        }
    }
}
