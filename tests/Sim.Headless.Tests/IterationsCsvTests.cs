using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sim.Core.Metrics;
using Sim.Headless.Output;

namespace Sim.Headless.Tests
{
    /// <summary>
    /// iterations.csv's rows against each field formatted on its own (integers plainly, doubles as their shortest round-trip
    /// text, NaN empty): kv_utilization's kept texts, +0's shortcut and -0 give what the formatter gives.
    /// </summary>
    public class IterationsCsvTests
    {
        static string Text(double value) => double.IsNaN(value) ? "" : value.ToString("R", CultureInfo.InvariantCulture);

        static string Expected(in IterationRecord r) => string.Join(",", new[]
        {
            r.Replica.ToString(CultureInfo.InvariantCulture), r.Iteration.ToString(CultureInfo.InvariantCulture), Text(r.StartS), Text(r.DurationS),
            r.NumSeqs.ToString(CultureInfo.InvariantCulture), r.PrefillTokens.ToString(CultureInfo.InvariantCulture), r.DecodeTokens.ToString(CultureInfo.InvariantCulture),
            r.Preempted.ToString(CultureInfo.InvariantCulture), r.KvUsedPages.ToString(CultureInfo.InvariantCulture), r.KvTotalPages.ToString(CultureInfo.InvariantCulture),
            Text((double)r.KvUsedPages / r.KvTotalPages), r.Waiting.ToString(CultureInfo.InvariantCulture), r.Running.ToString(CultureInfo.InvariantCulture), Text(r.TransferS),
        });

        [Test]
        public void RowsAreEachFieldFormattedOnItsOwn()
        {
            var random = new Random(3);
            var rows = new List<IterationRecord>();
            // Two replicas of different KV sizes (only the first size's texts are kept), one past the kept sizes, one of none;
            // used pages inside and outside 0..total, each count met many times; times with zeros of both signs.
            int[] totals = { 3328, 700, 70000, 0 };
            double[] times = { 0.0, -0.0, 1e-7, 0.058704770521663015, 123456.789, 1e21 };
            for (int i = 0; i < 3000; i++)
            {
                int total = totals[i % totals.Length];
                rows.Add(new IterationRecord
                {
                    Replica = i % totals.Length,
                    Iteration = i,
                    StartS = i % 7 == 0 ? times[i % times.Length] : random.NextDouble() * 5000,
                    DurationS = random.NextDouble() * 0.2,
                    NumSeqs = random.Next(0, 129),
                    DecodeTokens = random.Next(0, 129),
                    KvUsedPages = random.Next(-2, Math.Min(total, 400) + 3),
                    KvTotalPages = total,
                    Waiting = random.Next(0, 50),
                    Running = random.Next(0, 129),
                    TransferS = times[i % times.Length],
                });
            }
            var stream = new MemoryStream();
            using (var csv = new IterationsCsv(stream))
                foreach (IterationRecord row in rows)
                    csv.OnIteration(row);
            string[] lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n');
            Assert.That(lines[0], Is.EqualTo(IterationsCsv.Header));
            Assert.That(lines.Skip(1).Take(rows.Count), Is.EqualTo(rows.Select(r => Expected(r))));
            Assert.That(lines.Length, Is.EqualTo(rows.Count + 2), "a newline ends the last row");
        }
    }
}
