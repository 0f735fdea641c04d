using System;
using System.IO;
using System.Linq;
using NUnit.Framework;
using Sim.Core.Trace;

namespace Sim.Core.Tests.Trace
{
    public class TraceReaderTests
    {
        static string Fixture(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "traces", name);

        string _dir = "";

        [SetUp]
        public void MakeFolder()
        {
            _dir = Path.Combine(Path.GetTempPath(), "sim-trace-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
        }

        [TearDown]
        public void RemoveFolder() => Directory.Delete(_dir, true);

        string Write(string name, string text)
        {
            string path = Path.Combine(_dir, name);
            File.WriteAllText(path, text);
            return path;
        }

        [Test]
        public void DetectsEachFormat()
        {
            Assert.That(TraceFile.Detect(Fixture("azure_conv_20.csv")), Is.EqualTo(TraceFormat.Azure));
            Assert.That(TraceFile.Detect(Fixture("mooncake_5.jsonl")), Is.EqualTo(TraceFormat.Mooncake));
            Assert.That(TraceFile.Detect(Fixture("vidur_4.csv")), Is.EqualTo(TraceFormat.Vidur));
            var e = Assert.Throws<SimInputException>(() => TraceFile.Detect(Write("x.csv", "a,b,c\n1,2,3\n")));
            Assert.That(e!.Line, Is.EqualTo(1));
        }

        [Test]
        public void AzureArrivalsAreSecondsSinceTheFirstRowExactly()
        {
            TraceRequest[] requests = TraceFile.Read(Fixture("azure_conv_20.csv"), TraceFormat.Auto).ToArray();
            Assert.That(requests, Has.Length.EqualTo(20));
            // Rows 1 and 2: 18:15:46.6805900 and 18:15:50.9951690 -> 4.3145790 s apart; 374/44 and 396/109 tokens.
            Assert.That(requests[0].ArrivalS, Is.EqualTo(0));
            Assert.That(requests[1].ArrivalS, Is.EqualTo(4.3145790));
            Assert.That((requests[0].PromptTokens, requests[0].OutputTokens), Is.EqualTo((374, 44)));
            Assert.That((requests[1].PromptTokens, requests[1].OutputTokens), Is.EqualTo((396, 109)));
            Assert.That(requests.Select(r => r.Id), Is.EqualTo(Enumerable.Range(0, 20).Select(i => (long)i)));
            Assert.That(requests[19].SourceLine, Is.EqualTo(21));
        }

        [Test]
        public void MooncakeKeepsHashIdsAndConvertsMilliseconds()
        {
            TraceRequest[] requests = TraceFile.Read(Fixture("mooncake_5.jsonl"), TraceFormat.Mooncake).ToArray();
            Assert.That(requests, Has.Length.EqualTo(5));
            Assert.That(requests[3].ArrivalS, Is.EqualTo(1.5005));
            Assert.That(requests[3].HashIds, Is.EqualTo(new[] { 1, 2, 3, 6 }));
            Assert.That(requests[3].PromptTokens, Is.EqualTo(2000));
        }

        [Test]
        public void VidurFindsColumnsByName()
        {
            TraceRequest[] requests = TraceFile.Read(Fixture("vidur_4.csv"), TraceFormat.Auto).ToArray();
            Assert.That(requests.Select(r => r.ArrivalS), Is.EqualTo(new[] { 0, 0.25, 0.25, 1.5 }));
            Assert.That(requests.Select(r => r.OutputTokens), Is.EqualTo(new[] { 10, 20, 30, 40 }));
        }

        [Test]
        public void BothShippedAzureTracesReadCompletely()
        {
            string traces = Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "..", "scenes", "traces");
            Assert.That(TraceFile.Read(Path.Combine(traces, "azure_llm_2023_conv.csv"), TraceFormat.Auto).Count(), Is.EqualTo(19366));
            Assert.That(TraceFile.Read(Path.Combine(traces, "azure_llm_2023_code.csv"), TraceFormat.Auto).Count(), Is.EqualTo(8819));
        }

        [TestCase("arrived_at,num_prefill_tokens,num_decode_tokens\n0,10,5\n1,abc,5\n", 3, "num_prefill_tokens")]
        [TestCase("arrived_at,num_prefill_tokens,num_decode_tokens\n0,10,5\n1,-4,5\n", 3, "num_prefill_tokens")]
        [TestCase("arrived_at,num_prefill_tokens,num_decode_tokens\n0,10,5\n1,10,0\n", 3, "num_decode_tokens")]
        [TestCase("arrived_at,num_prefill_tokens,num_decode_tokens\n0,10,5\nNaN,10,5\n", 3, "arrived_at")]
        [TestCase("arrived_at,num_prefill_tokens,num_decode_tokens\n2,10,5\n1,10,5\n", 3, "arrived_at")]
        [TestCase("arrived_at,num_prefill_tokens,num_decode_tokens\n0,10,5\n1,10\n", 3, "")]
        [TestCase("arrived_at,num_decode_tokens\n0,5\n", 1, "num_prefill_tokens")]
        [TestCase("arrived_at,num_prefill_tokens,num_decode_tokens\n", 0, "")]
        public void VidurBadInputNamesLineAndField(string text, int line, string field)
        {
            string path = Write("v.csv", text);
            var e = Assert.Throws<SimInputException>(() => TraceFile.Read(path, TraceFormat.Vidur).ToArray());
            Assert.That(e!.File, Is.EqualTo(path));
            Assert.That(e.Line, Is.EqualTo(line));
            Assert.That(e.Field, Is.EqualTo(field));
        }

        [TestCase("{\"timestamp\": 0, \"input_length\": 5}", "output_length")]
        [TestCase("{\"timestamp\": 0, \"input_length\": 5, \"output_length\": 2.5}", "output_length")]
        [TestCase("{\"timestamp\": 0, \"input_length\": 5, \"output_length\": 2, \"hash_ids\": [1, 2.5]}", "hash_ids")]
        [TestCase("{\"timestamp\": 0, \"input_length\": 5, \"output_length\": 2", "")]
        [TestCase("[1, 2]", "")]
        public void MooncakeBadInputNamesLineAndField(string line, string field)
        {
            string path = Write("m.jsonl", "{\"timestamp\": 0, \"input_length\": 5, \"output_length\": 2}\n" + line + "\n");
            var e = Assert.Throws<SimInputException>(() => TraceFile.Read(path, TraceFormat.Mooncake).ToArray());
            Assert.That(e!.Line, Is.EqualTo(2));
            Assert.That(e.Field, Is.EqualTo(field));
        }

        [Test]
        public void AzureBadTimestampAndMissingFile()
        {
            string path = Write("a.csv", "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.68,10,5\nyesterday,10,5\n");
            var e = Assert.Throws<SimInputException>(() => TraceFile.Read(path, TraceFormat.Azure).ToArray());
            Assert.That((e!.Line, e.Field), Is.EqualTo((3, "TIMESTAMP")));
            var missing = Assert.Throws<SimInputException>(() => TraceFile.Read(Path.Combine(_dir, "none.csv"), TraceFormat.Auto).ToArray());
            Assert.That(missing!.Message, Does.Contain("not found"));
        }

        [Test]
        public void TimeScaleMultipliesGapsAndRequestsTakesTheFirstN()
        {
            var scaled = TraceTransforms.Apply(TraceFile.Read(Fixture("vidur_4.csv"), TraceFormat.Vidur), 3, 2).ToArray();
            Assert.That(scaled.Select(r => r.ArrivalS), Is.EqualTo(new[] { 0, 0.5, 0.5 }));
            Assert.Throws<SimInputException>(() => TraceTransforms.Apply(scaled, null, 0));
            Assert.Throws<SimInputException>(() => TraceTransforms.Apply(scaled, null, double.NaN));
        }
    }
}
