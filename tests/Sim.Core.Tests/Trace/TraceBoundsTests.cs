using System;
using System.IO;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sim.Core.Trace;

namespace Sim.Core.Tests.Trace
{
    /// <summary>A trace that is one endless line, or endless lines, stops with one message after a bounded read.</summary>
    public class TraceBoundsTests
    {
        string _dir = "";

        [SetUp]
        public void MakeFolder()
        {
            _dir = Path.Combine(Path.GetTempPath(), "sim-trace-bounds-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
        }

        [TearDown]
        public void RemoveFolder() => Directory.Delete(_dir, true);

        [Test]
        public void ALineBeyondTheLimitIsRefusedWithItsNumber()
        {
            string path = Path.Combine(_dir, "long.csv");
            File.WriteAllText(path, "arrived_at,num_prefill_tokens,num_decode_tokens\n0,1,1\n" + new string('9', InputLineReader.MaxLineChars + 1) + "\n");
            var e = Assert.Throws<SimInputException>(() => TraceFile.Read(path, TraceFormat.Auto).ToList())!;
            Assert.That(e.Line, Is.EqualTo(3));
            Assert.That(e.Problem, Is.EqualTo("a line longer than 1048576 characters; is this a trace file?"));
        }

        [Test]
        public void ALineAtTheLimitIsRead()
        {
            string path = Path.Combine(_dir, "edge.txt");
            File.WriteAllText(path, new string('x', InputLineReader.MaxLineChars) + "\r\nb\rc\n");
            using InputLineReader lines = InputLineReader.Open(path, "trace");
            Assert.That(lines.Next(), Has.Length.EqualTo(InputLineReader.MaxLineChars));
            Assert.That(lines.Next(), Is.EqualTo("b"));
            Assert.That(lines.Next(), Is.EqualTo("c"));
            Assert.That(lines.LineNumber, Is.EqualTo(3));
            Assert.That(lines.Next(), Is.Null);
        }

        [Test]
        public void AFileBeyondTheSizeLimitIsRefused()
        {
            // Ten lines of 6 characters with the newline: nine are 54, so a 56-character limit stops in the tenth.
            string path = Path.Combine(_dir, "many.txt");
            File.WriteAllText(path, string.Concat(Enumerable.Repeat("0,1,1\n", 10)));
            using InputLineReader lines = InputLineReader.Open(path, "trace", maxFileChars: 56);
            for (int i = 0; i < 9; i++) Assert.That(lines.Next(), Is.EqualTo("0,1,1"));
            var e = Assert.Throws<SimInputException>(() => lines.Next())!;
            Assert.That(e.Line, Is.EqualTo(10));
            Assert.That(e.Problem, Is.EqualTo("the trace file is larger than 56 characters; split it"));
        }

        [Test]
        [Platform("Linux")]
        public void DevZeroStopsAtTheLineLimit()
        {
            var e = Assert.Throws<SimInputException>(() => TraceFile.Detect("/dev/zero"))!;
            Assert.That(e.Problem, Does.StartWith("a line longer than"));
        }
    }
}
