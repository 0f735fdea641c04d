using System;
using System.IO;
using System.Linq;
using NUnit.Framework;
using Sim.Core.Trace;
using static Sim.Core.Tests.Trace.TraceFixtures;

namespace Sim.Core.Tests.Trace
{
    public class TraceReaderTests
    {
        const string VidurHeader = "arrived_at,num_prefill_tokens,num_decode_tokens\n";
        const string AzureHeader = "TIMESTAMP,ContextTokens,GeneratedTokens\n";

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
        public void DetectsEachFormatFromItsFirstNonBlankLine()
        {
            Assert.That(TraceFile.Detect(Fixture("azure_conv_20.csv")), Is.EqualTo(TraceFormat.Azure));
            Assert.That(TraceFile.Detect(Fixture("mooncake_5.jsonl")), Is.EqualTo(TraceFormat.Mooncake));
            Assert.That(TraceFile.Detect(Fixture("vidur_4.csv")), Is.EqualTo(TraceFormat.Vidur));
            Assert.That(TraceFile.Detect(Write("blank-first.csv", "\n  \n" + VidurHeader + "0,1,1\n")), Is.EqualTo(TraceFormat.Vidur));
            var unknown = Assert.Throws<SimInputException>(() => TraceFile.Detect(Write("x.csv", "\na,b,c\n1,2,3\n")));
            Assert.That(unknown!.Line, Is.EqualTo(2));
            Assert.That(unknown.Message, Does.Contain("unknown trace format"));
            var empty = Assert.Throws<SimInputException>(() => TraceFile.Detect(Write("empty.csv", "\n\n")));
            Assert.That(empty!.Line, Is.EqualTo(0));
        }

        [Test]
        public void AzureArrivalsAreSecondsSinceTheFirstRowExactly()
        {
            TraceRequest[] requests = TraceFile.Read(Fixture("azure_conv_20.csv"), TraceFormat.Auto).ToArray();
            Assert.That(requests, Has.Length.EqualTo(20));
            // Rows 1 and 2: 18:15:46.6805900 and 18:15:50.9951690 -> 43,145,790 ticks = 4.3145790 s; 374/44 and 396/109 tokens.
            // The last row, 18:15:59.7056780, is 130,250,880 ticks after the first.
            Assert.That(requests[0].ArrivalS, Is.EqualTo(0));
            Assert.That(requests[1].ArrivalS, Is.EqualTo(4.3145790));
            Assert.That(requests[19].ArrivalS, Is.EqualTo(13.025088));
            Assert.That((requests[0].PromptTokens, requests[0].OutputTokens), Is.EqualTo((374, 44)));
            Assert.That((requests[1].PromptTokens, requests[1].OutputTokens), Is.EqualTo((396, 109)));
            Assert.That(requests.Select(r => r.Id), Is.EqualTo(Enumerable.Range(0, 20).Select(i => (long)i)));
            Assert.That(requests[19].SourceLine, Is.EqualTo(21));
            Assert.That(requests.All(r => r.HashIds == null), Is.True);
        }

        [Test]
        public void AzureAcceptsZeroToSevenFractionalDigits()
        {
            // 0, 1, 2 and 7 digits, across midnight: 0.5 s, 1.25 s and 2.1234567 s after the first row.
            string path = Write("a.csv", AzureHeader + "2023-11-16 23:59:59,10,5\n2023-11-16 23:59:59.5,10,5\n2023-11-17 00:00:00.25,10,5\n"
                + "2023-11-17 00:00:01.1234567,10,5\n");
            Assert.That(TraceFile.Read(path, TraceFormat.Azure).Select(r => r.ArrivalS), Is.EqualTo(new[] { 0, 0.5, 1.25, 2.1234567 }));
        }

        [Test]
        public void MooncakeKeepsHashIdsAndConvertsMilliseconds()
        {
            TraceRequest[] requests = TraceFile.Read(Fixture("mooncake_5.jsonl"), TraceFormat.Mooncake).ToArray();
            Assert.That(requests, Has.Length.EqualTo(5));
            // Line 4 has its keys in another order and an extra string key.
            Assert.That(requests[3].ArrivalS, Is.EqualTo(1.5005));
            Assert.That(requests[3].HashIds, Is.EqualTo(new[] { 1, 2, 3, 6 }));
            Assert.That((requests[3].PromptTokens, requests[3].OutputTokens), Is.EqualTo((2000, 7)));
            Assert.That(requests[4].ArrivalS, Is.EqualTo(2.5));
        }

        [Test]
        public void MooncakeIgnoresBlankLinesAndNestedExtraKeys()
        {
            // Line 4 is blank; line 5 has a nested object with a mixed array.
            TraceRequest[] requests = TraceFile.Read(Fixture("mooncake_lru.jsonl"), TraceFormat.Auto).ToArray();
            Assert.That(requests.Select(r => r.SourceLine), Is.EqualTo(new[] { 1, 2, 3, 5, 6 }));
            Assert.That(requests.Select(r => r.Id), Is.EqualTo(new long[] { 0, 1, 2, 3, 4 }));
            Assert.That(requests[3].HashIds, Is.EqualTo(new[] { 7, 8 }));
            Assert.That(requests[3].ArrivalS, Is.EqualTo(0.3));
        }

        [Test]
        public void MooncakeWithoutHashIdsHasNone()
        {
            string path = Write("m.jsonl", "{ \"timestamp\" :0 ,\"input_length\":5,\"output_length\":2 }\n");
            Assert.That(TraceFile.Read(path, TraceFormat.Auto).Single().HashIds, Is.Null);
        }

        [Test]
        public void EveryFormatReadsAnOptionalPriorityClass()
        {
            string mooncake = Write("p.jsonl", "{\"timestamp\":0,\"input_length\":5,\"output_length\":2,\"priority\":3}\n{\"timestamp\":1,\"input_length\":5,\"output_length\":2}\n");
            Assert.That(TraceFile.Read(mooncake, TraceFormat.Auto).Select(r => r.Priority), Is.EqualTo(new[] { 3, 0 }));
            string vidur = Write("p.csv", "arrived_at,num_prefill_tokens,num_decode_tokens,priority\n0,5,2,1\n");
            Assert.That(TraceFile.Read(vidur, TraceFormat.Vidur).Single().Priority, Is.EqualTo(1));
            string azure = Write("a.csv", "TIMESTAMP,ContextTokens,GeneratedTokens,priority\n2023-11-16 18:15:46.68,5,2,2\n");
            Assert.That(TraceFile.Read(azure, TraceFormat.Azure).Single().Priority, Is.EqualTo(2));
            string bad = Write("b.csv", "arrived_at,num_prefill_tokens,num_decode_tokens,priority\n0,5,2,1.5\n");
            var e = Assert.Throws<SimInputException>(() => TraceFile.Read(bad, TraceFormat.Vidur).ToArray());
            Assert.That((e!.Line, e.Field), Is.EqualTo((2, "priority")));
        }

        [Test]
        public void VidurFindsColumnsByName()
        {
            TraceRequest[] requests = TraceFile.Read(Fixture("vidur_4.csv"), TraceFormat.Auto).ToArray();
            Assert.That(requests.Select(r => r.ArrivalS), Is.EqualTo(new[] { 0, 0.25, 0.25, 1.5 }));
            Assert.That(requests.Select(r => r.PromptTokens), Is.EqualTo(new[] { 100, 200, 300, 400 }));
            Assert.That(requests.Select(r => r.OutputTokens), Is.EqualTo(new[] { 10, 20, 30, 40 }));
            string reordered = Write("v.csv", "num_decode_tokens,x,arrived_at,num_prefill_tokens\n7,a,1.5,12.0\n");
            TraceRequest one = TraceFile.Read(reordered, TraceFormat.Vidur).Single();
            Assert.That((one.ArrivalS, one.PromptTokens, one.OutputTokens), Is.EqualTo((1.5, 12, 7)));
        }

        [Test]
        public void BothShippedAzureTracesReadCompletely()
        {
            TraceRequest[] conv = TraceFile.Read(Shipped("azure_llm_2023_conv.csv"), TraceFormat.Auto).ToArray();
            Assert.That(conv, Has.Length.EqualTo(19366));
            Assert.That(conv[conv.Length - 1].Id, Is.EqualTo(19365));
            Assert.That(TraceFile.Read(Shipped("azure_llm_2023_code.csv"), TraceFormat.Auto).Count(), Is.EqualTo(8819));
        }

        [TestCase(VidurHeader + "0,10,5\n1,abc,5\n", 3, "num_prefill_tokens")]
        [TestCase(VidurHeader + "0,10,5\n1,-4,5\n", 3, "num_prefill_tokens")]
        [TestCase(VidurHeader + "0,10,5\n1,10.5,5\n", 3, "num_prefill_tokens")]
        [TestCase(VidurHeader + "0,0,5\n", 2, "num_prefill_tokens")]
        [TestCase(VidurHeader + "0,10,5\n1,3000000000,5\n", 3, "num_prefill_tokens")]
        [TestCase(VidurHeader + "0,10,5\n1,+,5\n", 3, "num_prefill_tokens")]
        [TestCase(VidurHeader + "0,10,5\n1,10,0\n", 3, "num_decode_tokens")]
        [TestCase(VidurHeader + "0,10,5\n1,10,Infinity\n", 3, "num_decode_tokens")]
        [TestCase(VidurHeader + "0,10,5\nNaN,10,5\n", 3, "arrived_at")]
        [TestCase(VidurHeader + "0,10,5\nInfinity,10,5\n", 3, "arrived_at")]
        [TestCase(VidurHeader + "-1,10,5\n", 2, "arrived_at")]
        [TestCase(VidurHeader + "2,10,5\n1,10,5\n", 3, "arrived_at")]
        [TestCase(VidurHeader + "0,10,5\n1,10\n", 3, "")]
        [TestCase(VidurHeader + "0,10,5\n1,10,5,6\n", 3, "")]
        [TestCase("arrived_at,num_decode_tokens\n0,5\n", 1, "num_prefill_tokens")]
        [TestCase("\narrived_at,num_prefill_tokens,num_decode_tokens,arrived_at\n0,1,1,0\n", 2, "arrived_at")]
        [TestCase(VidurHeader, 0, "")]
        [TestCase(VidurHeader + "\n\n", 0, "")]
        [TestCase("", 0, "")]
        public void VidurBadInputNamesLineAndField(string text, int line, string field)
        {
            string path = Write("v.csv", text);
            var e = Assert.Throws<SimInputException>(() => TraceFile.Read(path, TraceFormat.Vidur).ToArray());
            Assert.That(e!.File, Is.EqualTo(path));
            Assert.That(e.Line, Is.EqualTo(line));
            Assert.That(e.Field, Is.EqualTo(field));
        }

        [TestCase("2023-11-16 18:15:47,10,5\nyesterday,10,5\n", 3, "TIMESTAMP")]
        [TestCase("2023-11-16 18:15:47,10,5\n2023-11-16 18:15:47.12345678,10,5\n", 3, "TIMESTAMP")]
        [TestCase("2023-11-16 18:15:47,10,5\n2023-11-16 18:15:46.9999999,10,5\n", 3, "TIMESTAMP")]
        [TestCase("2023-11-16 18:15:47,x,5\n", 2, "ContextTokens")]
        [TestCase("2023-11-16 18:15:47,10,-5\n", 2, "GeneratedTokens")]
        [TestCase("2023-11-16 18:15:47,10\n", 2, "")]
        public void AzureBadInputNamesLineAndField(string rows, int line, string field)
        {
            string path = Write("a.csv", AzureHeader + rows);
            var e = Assert.Throws<SimInputException>(() => TraceFile.Read(path, TraceFormat.Auto).ToArray());
            Assert.That((e!.File, e.Line, e.Field), Is.EqualTo((path, line, field)));
        }

        [TestCase("{\"timestamp\": 0, \"input_length\": 5}", "output_length")]
        [TestCase("{\"timestamp\": 0, \"input_length\": \"5\", \"output_length\": 2}", "input_length")]
        [TestCase("{\"timestamp\": 0, \"input_length\": 5, \"output_length\": 2.5}", "output_length")]
        [TestCase("{\"timestamp\": 0, \"input_length\": 0, \"output_length\": 2}", "input_length")]
        [TestCase("{\"timestamp\": -1, \"input_length\": 5, \"output_length\": 2}", "timestamp")]
        [TestCase("{\"timestamp\": 1e999, \"input_length\": 5, \"output_length\": 2}", "timestamp")]
        [TestCase("{\"timestamp\": 0, \"input_length\": 5, \"output_length\": 2, \"hash_ids\": [1, 2.5]}", "hash_ids")]
        [TestCase("{\"timestamp\": 0, \"input_length\": 5, \"output_length\": 2, \"hash_ids\": [1, \"2\"]}", "hash_ids")]
        [TestCase("{\"timestamp\": 0, \"input_length\": 5, \"output_length\": 2, \"hash_ids\": 3}", "hash_ids")]
        [TestCase("{\"timestamp\": 0, \"input_length\": 5, \"output_length\": 2", "")]
        [TestCase("{\"timestamp\": 0, \"input_length\": 5, \"output_length\": 2} x", "")]
        [TestCase("{\"timestamp\": NaN, \"input_length\": 5, \"output_length\": 2}", "")]
        [TestCase("{\"timestamp\": 0, \"input_length\": 5, \"output_length\": 2, \"x\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}", "")]
        [TestCase("[1, 2]", "")]
        public void MooncakeBadInputNamesLineAndField(string line, string field)
        {
            string path = Write("m.jsonl", "{\"timestamp\": 0, \"input_length\": 5, \"output_length\": 2}\n" + line + "\n");
            var e = Assert.Throws<SimInputException>(() => TraceFile.Read(path, TraceFormat.Mooncake).ToArray());
            Assert.That((e!.Line, e.Field), Is.EqualTo((2, field)));
        }

        [Test]
        public void MooncakeArrivalsMustNotGoBack()
        {
            string path = Write("m.jsonl", "{\"timestamp\": 10, \"input_length\": 5, \"output_length\": 2}\n{\"timestamp\": 9, \"input_length\": 5, \"output_length\": 2}\n");
            var e = Assert.Throws<SimInputException>(() => TraceFile.Read(path, TraceFormat.Auto).ToArray());
            Assert.That((e!.Line, e.Field), Is.EqualTo((2, "timestamp")));
        }

        [Test]
        public void MissingFileFailsAtReadWithLineZero()
        {
            string missing = Path.Combine(_dir, "none.csv");
            foreach (TraceFormat format in new[] { TraceFormat.Auto, TraceFormat.Azure, TraceFormat.Mooncake, TraceFormat.Vidur })
            {
                var e = Assert.Throws<SimInputException>(() => TraceFile.Read(missing, format));
                Assert.That((e!.File, e.Line), Is.EqualTo((missing, 0)));
                Assert.That(e.Message, Does.Contain("not found"));
            }
        }

        [Test]
        public void ReadingIsLazy()
        {
            // A bad last line is not reached when only the first request is taken.
            string path = Write("v.csv", VidurHeader + "0,10,5\nbad\n");
            Assert.That(TraceFile.Read(path, TraceFormat.Vidur).First().PromptTokens, Is.EqualTo(10));
            Assert.Throws<SimInputException>(() => TraceFile.Read(path, TraceFormat.Vidur).ToArray());
        }
    }
}
