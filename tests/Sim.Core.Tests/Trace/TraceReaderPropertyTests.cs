using System;
using System.IO;
using System.Linq;
using CsCheck;
using NUnit.Framework;
using Sim.Core.Trace;

namespace Sim.Core.Tests.Trace
{
    /// <summary>Random and corrupted input: reading either yields requests or throws SimInputException; nothing else, and it ends.</summary>
    public class TraceReaderPropertyTests
    {
        static readonly string[] Fixtures = { "azure_conv_20.csv", "mooncake_5.jsonl", "vidur_4.csv" };

        static string FixtureText(int index) => File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "traces", Fixtures[index]));

        static void ReadAll(string text, TraceFormat format)
        {
            string path = Path.Combine(Path.GetTempPath(), "sim-prop-" + Guid.NewGuid().ToString("N"));
            File.WriteAllText(path, text);
            try
            {
                foreach (TraceFormat f in new[] { format, TraceFormat.Auto })
                {
                    try
                    {
                        TraceRequest[] requests = TraceFile.Read(path, f).ToArray();
                        Assert.That(requests, Is.Not.Empty);
                        Assert.That(requests.All(r => r.PromptTokens >= 1 && r.OutputTokens >= 1 && r.ArrivalS >= 0 && !double.IsNaN(r.ArrivalS)), Is.True);
                    }
                    catch (SimInputException e)
                    {
                        Assert.That(e.Message, Does.StartWith(path));
                    }
                }
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Test]
        public void CorruptedFixturesNeverCrash()
        {
            Gen.Select(Gen.Int[0, 2], Gen.Int[0, 100000].Array[1, 6], Gen.Char[' ', '~'].Array[1, 6], Gen.Bool)
                .Sample((fixture, positions, chars, delete) =>
                {
                    var text = FixtureText(fixture).ToCharArray().ToList();
                    for (int i = 0; i < Math.Min(positions.Length, chars.Length) && text.Count > 0; i++)
                    {
                        int at = positions[i] % text.Count;
                        if (delete) text.RemoveAt(at);
                        else text[at] = chars[i];
                    }
                    ReadAll(new string(text.ToArray()), (TraceFormat)(fixture + 1));
                }, iter: 300);
        }

        [Test]
        public void RandomTextNeverCrashes()
        {
            Gen.String.Sample(text =>
            {
                ReadAll(text, TraceFormat.Azure);
                ReadAll("{" + text, TraceFormat.Mooncake);
                ReadAll("arrived_at,num_prefill_tokens,num_decode_tokens\n" + text, TraceFormat.Vidur);
            }, iter: 200);
        }
    }
}
