using System;
using System.IO;
using System.Text;
using NUnit.Framework;
using Sim.Core.PerfModel;

namespace Sim.Core.Tests.PerfModel
{
    /// <summary>
    /// An attention table's rows, read into an array sized from the file and its first line: every row in order, whether the
    /// later lines are longer than the first (the array grows) or not.
    /// </summary>
    public class AttentionProfileTests
    {
        const string Header = "n_embd,n_q_head,n_kv_head,num_tensor_parallel_workers,batch_size,prefill_chunk_size,kv_cache_size,is_prefill," +
            "time_stats.attn_prefill.median,time_stats.attn_decode.median";

        string _path = "";

        [SetUp]
        public void MakeFile() => _path = Path.Combine(Path.GetTempPath(), "sim-attention-" + Guid.NewGuid().ToString("N") + ".csv");

        [TearDown]
        public void RemoveFile() => File.Delete(_path);

        // Row i: a decode of batch i + 1 after 7i cached tokens taking (i + 1) / 1000 ms, written with leading zeros that make every
        // line after the first several times as long.
        static string Line(int i, bool padded) =>
            "8192,64,8,2," + (i + 1) + ",0," + 7 * i + ",False,," + (padded ? "0000000000000000000000000000000000000000" : "") + (i + 1) + "e-3";

        [TestCase(1, false)]
        [TestCase(2000, false)]
        [TestCase(2000, true)]
        public void EveryRowIsReadInOrder(int rows, bool laterLinesLonger)
        {
            var text = new StringBuilder(Header + "\n");
            for (int i = 0; i < rows; i++) text.Append(Line(i, laterLinesLonger && i > 0)).Append('\n');
            File.WriteAllText(_path, text.ToString());
            AttentionProfile table = AttentionProfile.Read(_path);
            Assert.That(table.Rows, Has.Count.EqualTo(rows));
            for (int i = 0; i < rows; i++)
            {
                AttentionProfile.Row row = table.Rows[i];
                Assert.That((row.Line, row.Tp, row.IsPrefill, row.BatchSize, row.ContextTokens, row.ChunkTokens), Is.EqualTo((i + 2, 2, false, i + 1, 7 * i, 0)), "row " + i);
                Assert.That(row.MedianMs, Is.EqualTo((i + 1) / 1000.0), "row " + i);
            }
            Assert.That(AttentionProfile.Read(_path, maxRows: 1).Rows, Has.Count.EqualTo(1));
        }
    }
}
