using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CsCheck;
using NUnit.Framework;
using Sim.Core;

namespace Sim.Core.Tests.Trace
{
    /// <summary>The span line reader splits lines exactly as <see cref="StreamReader.ReadLine"/> does, less blank lines.</summary>
    public class InputLineReaderTests
    {
        static List<(int Number, string Line)> Expected(string text)
        {
            var lines = new List<(int, string)>();
            using var reader = new StringReader(text);
            int number = 0;
            string? line;
            while ((line = reader.ReadLine()) != null)
            {
                number++;
                if (line.Trim().Length > 0) lines.Add((number, line));
            }
            return lines;
        }

        static List<(int Number, string Line)> Actual(string text)
        {
            string path = Path.GetTempFileName();
            try
            {
                File.WriteAllText(path, text);
                var lines = new List<(int, string)>();
                using InputLineReader reader = InputLineReader.Open(path, "trace");
                while (reader.NextLine(out ReadOnlySpan<char> line)) lines.Add((reader.LineNumber, line.ToString()));
                return lines;
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Test]
        public void LineEndingsBlankLinesAndAMissingLastNewline()
        {
            const string text = "a,b\r\n\r\n1,2\r3,4\n\n  \n5,6\r\n7,8";
            Assert.That(Actual(text), Is.EqualTo(new List<(int, string)> { (1, "a,b"), (3, "1,2"), (4, "3,4"), (7, "5,6"), (8, "7,8") }));
            Assert.That(Actual(text), Is.EqualTo(Expected(text)));
        }

        [Test]
        public void ALineLongerThanTheBufferAndACarriageReturnAtTheBufferEdge()
        {
            // The buffer's first read: the \r ends it and the \n that completes the \r\n comes in the next read.
            string text = new string('x', InputLineReader.InitialBufferChars - 1) + "\r\n" + new string('y', 200000) + "\nz";
            Assert.That(Actual(text), Is.EqualTo(Expected(text)));
        }

        [Test]
        public void AnyTextSplitsAsStreamReaderSplitsIt()
        {
            Gen.OneOf(Gen.Const("\n"), Gen.Const("\r\n"), Gen.Const("\r"), Gen.Const(" "), Gen.Const("ab,1"), Gen.String[Gen.Char['a', 'c'], 0, 40000])
                .Array[0, 40].Select(parts => string.Concat(parts))
                .Sample(text => Assert.That(Actual(text), Is.EqualTo(Expected(text))), iter: 200);
        }
    }
}
