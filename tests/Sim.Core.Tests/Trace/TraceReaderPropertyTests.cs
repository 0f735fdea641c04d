using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CsCheck;
using NUnit.Framework;
using Sim.Core.Trace;
using static Sim.Core.Tests.Trace.TraceFixtures;

namespace Sim.Core.Tests.Trace
{
    /// <summary>
    /// Random and corrupted input: reading either yields valid requests or throws SimInputException naming the
    /// file; never another exception, and it ends (sample counts are bounded so the folder runs in seconds).
    /// </summary>
    public class TraceReaderPropertyTests
    {
        static readonly string[] Fixtures = { "azure_conv_20.csv", "mooncake_5.jsonl", "vidur_4.csv" };
        static readonly TraceFormat[] Formats = { TraceFormat.Azure, TraceFormat.Mooncake, TraceFormat.Vidur };

        static byte[] FixtureBytes(int index) => File.ReadAllBytes(Fixture(Fixtures[index]));

        /// <summary>Reads <paramref name="bytes"/> as the given format and as Auto; throws unless the outcome is one of the two allowed.</summary>
        static void ReadAll(byte[] bytes, TraceFormat format)
        {
            string path = Path.Combine(Path.GetTempPath(), "sim-prop-" + Guid.NewGuid().ToString("N"));
            File.WriteAllBytes(path, bytes);
            try
            {
                foreach (TraceFormat f in new[] { format, TraceFormat.Auto })
                {
                    try
                    {
                        Check(TraceFile.Read(path, f).ToArray());
                    }
                    catch (SimInputException e) when (e.File == path)
                    {
                        // The allowed failure: a user error naming the file.
                    }
                }
            }
            finally
            {
                File.Delete(path);
            }
        }

        static void Check(TraceRequest[] requests)
        {
            if (requests.Length == 0) throw new InvalidOperationException("a trace read without error has no requests");
            for (int i = 0; i < requests.Length; i++)
            {
                TraceRequest r = requests[i];
                if (r.Id != i || r.PromptTokens < 1 || r.OutputTokens < 1 || !(r.ArrivalS >= 0) || double.IsInfinity(r.ArrivalS)
                    || (i > 0 && r.ArrivalS < requests[i - 1].ArrivalS))
                    throw new InvalidOperationException("invalid request " + i + " accepted");
            }
        }

        [Test]
        public void CorruptedBytesNeverCrash()
        {
            // Replace, insert or delete up to 6 bytes (any value, so invalid UTF-8 too) of a valid fixture.
            Gen.Select(Gen.Int[0, 2], Gen.Int[0, 100000].Array[1, 6], Gen.Byte.Array[6], Gen.Int[0, 2])
                .Sample((fixture, positions, values, edit) =>
                {
                    var bytes = FixtureBytes(fixture).ToList();
                    for (int i = 0; i < positions.Length && bytes.Count > 0; i++)
                    {
                        int at = positions[i] % bytes.Count;
                        if (edit == 0) bytes[at] = values[i];
                        else if (edit == 1) bytes.Insert(at, values[i]);
                        else bytes.RemoveAt(at);
                    }
                    ReadAll(bytes.ToArray(), Formats[fixture]);
                }, iter: 300);
        }

        [Test]
        public void CorruptedPrintableCharactersNeverCrash()
        {
            // Printable replacements hit the parsers' own checks more often than random bytes do.
            Gen.Select(Gen.Int[0, 2], Gen.Int[0, 100000].Array[1, 4], Gen.Char["0123456789.,-+eE{}[]\":\n aN"].Array[4])
                .Sample((fixture, positions, chars) =>
                {
                    char[] text = Encoding.UTF8.GetString(FixtureBytes(fixture)).ToCharArray();
                    for (int i = 0; i < positions.Length; i++) text[positions[i] % text.Length] = chars[i];
                    ReadAll(Encoding.UTF8.GetBytes(text), Formats[fixture]);
                }, iter: 300);
        }

        [Test]
        public void ShuffledDroppedAndRepeatedLinesNeverCrash()
        {
            // Each output line is a randomly chosen fixture line (header included), so order, repeats and gaps vary.
            Gen.Select(Gen.Int[0, 2], Gen.Int[0, 1000].Array[0, 12])
                .Sample((fixture, picks) =>
                {
                    string[] lines = Encoding.UTF8.GetString(FixtureBytes(fixture)).Split('\n');
                    string text = string.Join("\n", picks.Select(p => lines[p % lines.Length]));
                    ReadAll(Encoding.UTF8.GetBytes(text), Formats[fixture]);
                }, iter: 200);
        }

        [Test]
        public void RandomTextNeverCrashes()
        {
            Gen.String.Sample(text =>
            {
                ReadAll(Encoding.UTF8.GetBytes(text), TraceFormat.Azure);
                ReadAll(Encoding.UTF8.GetBytes("{" + text), TraceFormat.Mooncake);
                ReadAll(Encoding.UTF8.GetBytes("arrived_at,num_prefill_tokens,num_decode_tokens\n" + text), TraceFormat.Vidur);
            }, iter: 200);
        }

        [Test]
        public void DeeplyNestedJsonIsAnErrorNotAStackOverflow()
        {
            Gen.Select(Gen.Int[1, 100000], Gen.Bool).Sample((depth, objects) =>
            {
                string open = objects ? "{\"a\":" : "[";
                var text = new StringBuilder("{\"timestamp\": 0, \"input_length\": 5, \"output_length\": 2, \"x\": ");
                for (int i = 0; i < depth; i++) text.Append(open);
                ReadAll(Encoding.UTF8.GetBytes(text.ToString()), TraceFormat.Mooncake);
            }, iter: 20);
        }
    }
}
