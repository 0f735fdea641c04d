using System;
using System.IO;
using System.Text;
using NUnit.Framework;
using Sim.Core.Metrics;
using Sim.Headless.Output;

namespace Sim.Headless.Tests
{
    /// <summary>requests.csv formatted in slices on several threads: the one-thread file's bytes, rows worked out by hand, failures thrown.</summary>
    public class RequestsCsvTests
    {
        /// <summary>
        /// Completed and rejected requests with awkward numbers: NaN times, ids near long's end, subnormal, tiny and huge
        /// times, negative zero; every 1,000th request the hand-worked row of <see cref="CompletedLine"/>.
        /// </summary>
        static RequestLog AwkwardLog(int count)
        {
            var log = new RequestLog(count, 1);
            var random = new Random(7);
            double[] awkward = { double.Epsilon, 1e-300, 1.7976931348623157e308, 1e21, 0.1 + 0.2, -0.0, 123456789.123456789, double.NaN };
            for (int i = 0; i < count; i++)
            {
                ref RequestRecord record = ref log.Open(i);
                if (i % 1000 == 999)
                {
                    record.Replica = 0;
                    record.ArrivalS = 1.5;
                    record.PromptTokens = 10;
                    record.OutputTokens = 5;
                    record.FirstScheduledS = 2;
                    record.FirstTokenS = 2.25;
                    record.FinishS = 4.25;
                    record.MaxTbtS = 0.75;
                    record.Preemptions = 1;
                    log.End(i, RequestOutcome.Completed);
                    continue;
                }
                record.Id = i % 3 == 0 ? long.MaxValue - i : i;
                record.Replica = i % 5 == 0 ? -1 : i % 7;
                record.DecodeReplica = i % 11 == 0 ? i % 3 : -1;
                record.ArrivalS = i % 13 == 0 ? awkward[i % awkward.Length] : random.NextDouble() * 1e4;
                record.PromptTokens = random.Next(1, 1 << 20);
                record.OutputTokens = random.Next(0, 4096);
                record.FirstScheduledS = record.ArrivalS + random.NextDouble();
                record.FirstTokenS = i % 17 == 0 ? awkward[(i / 17) % awkward.Length] : record.FirstScheduledS + random.NextDouble() * 1e-9;
                record.FinishS = i % 19 == 0 ? double.NaN : record.FirstTokenS + random.NextDouble() * 1e6;
                record.MaxTbtS = random.NextDouble() * 1e-3;
                record.Preemptions = random.Next(0, 3);
                record.PrefixHitTokens = random.Next(0, 1 << 16);
                if (i % 5 == 0) log.End(i, RequestOutcome.Rejected);
                else if (i % 23 != 0) log.End(i, RequestOutcome.Completed);
            }
            return log;
        }

        // Arrival 1.5 s, first scheduled 2 s, first token 2.25 s, finish 4.25 s, 5 output tokens: queue 0.5, TTFT 0.75,
        // E2E 2.75, mean TBT (4.25 - 2.25) / 4 = 0.5, max TBT 0.75 as set; the id as opened.
        static string CompletedLine(int id) => id + ",0,completed,1.5,10,5,0.5,0.75,2.75,0.5,0.75,1,4.25,0,-1";

        static byte[] Written(RequestLog log, int threads, int sliceRecords)
        {
            using var stream = new MemoryStream();
            RequestsCsv.Write(stream, log, threads, sliceRecords);
            return stream.ToArray();
        }

        // None; fewer slices than threads; slices of one row; a short last slice; many rounds (a round is 16 slices a thread); the default slice.
        [TestCase(0, 2, 7)]
        [TestCase(3, 4, 1)]
        [TestCase(30, 2, 1)]
        [TestCase(5003, 2, 512)]
        [TestCase(5003, 3, 7)]
        [TestCase(5003, 4, 333)]
        [TestCase(20000, 2, 100)]
        [TestCase(20000, 3, 1000)]
        public void SlicesOnSeveralThreadsWriteTheOneThreadFilesBytes(int count, int threads, int sliceRecords)
        {
            RequestLog log = AwkwardLog(count);
            byte[] oneThread = Written(log, 1, sliceRecords);
            Assert.That(Written(log, threads, sliceRecords), Is.EqualTo(oneThread));
            string[] lines = Encoding.UTF8.GetString(oneThread).Split('\n');
            Assert.That(lines.Length, Is.EqualTo(count + 2), "header, a row per request, and the empty end after the last line break");
            Assert.That(lines[0], Is.EqualTo(RequestsCsv.Header));
            for (int id = 999; id < count; id += 1000) Assert.That(lines[id + 1], Is.EqualTo(CompletedLine(id)));
        }

        [Test]
        public void AwkwardNumbersAreWrittenAsWorkedOut()
        {
            string[] lines = Encoding.UTF8.GetString(Written(AwkwardLog(105), 2, 7)).Split('\n');
            // Request 0: rejected (no times), id long.MaxValue, arrival double.Epsilon's shortest round-trip text.
            Assert.That(lines[1], Does.StartWith(long.MaxValue + ",-1,rejected,5E-324,"));
            Assert.That(lines[1].Split(',')[6..11], Is.EqualTo(new[] { "", "", "", "", "" }));
            // Request 19: no finish time (NaN): finish_s empty, and E2E, derived from it, empty too.
            string[] nineteen = lines[20].Split(',');
            Assert.That((nineteen[2], nineteen[8], nineteen[12]), Is.EqualTo(("completed", "", "")));
            // Request 26 (a multiple of 13, 2 past a multiple of 8): completed on replica 26 mod 7, arriving at double's largest value.
            Assert.That(lines[27], Does.StartWith("26,5,completed,1.7976931348623157E+308,"));
            // Request 65 (a multiple of 13 and of 5): rejected, arrival 1e-300.
            Assert.That(lines[66], Does.StartWith("65,-1,rejected,1E-300,"));
        }

        /// <summary>Fails as a full disk does, after <see cref="Room"/> bytes.</summary>
        sealed class FullDisk : MemoryStream
        {
            public int Room;

            public override void Write(byte[] buffer, int offset, int count)
            {
                if (Length + count > Room) throw new IOException("No space left on device");
                base.Write(buffer, offset, count);
            }

            public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);
        }

        [TestCase(100)]
        [TestCase(300000)]
        public void AFullDiskStopsTheWriteWithItsOwnError(int room)
        {
            RequestLog log = AwkwardLog(20000);
            var error = Assert.Throws<IOException>(() => RequestsCsv.Write(new FullDisk { Room = room }, log, 3, 1000))!;
            Assert.That(error.Message, Is.EqualTo("No space left on device"));
        }

        [TestCase(3)]
        [TestCase(4000)]
        [TestCase(9999)]
        public void AHelpersFailureIsThrownByTheWriter(int failingRow)
        {
            using var stream = new MemoryStream();
            using var csv = new CsvLineWriter(stream, "n");
            var error = Assert.Throws<InvalidOperationException>(() => CsvSliceWriter.Write(csv, 10000, (slice, start, end) =>
            {
                for (int row = start; row < end; row++)
                {
                    if (row == failingRow) throw new InvalidOperationException("row " + row);
                    slice.Field(row);
                    slice.EndLine();
                }
            }, 2, 1000))!;
            Assert.That(error.Message, Is.EqualTo("row " + failingRow));
        }
    }
}
