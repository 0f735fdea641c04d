using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using CsCheck;
using NUnit.Framework;
using Sim.Core.PerfModel;

namespace Sim.Core.Tests.PerfModel
{
    /// <summary>
    /// The profile model's decode batches priced from the batch size and KV sums (terms kept per size) against the same batch
    /// priced sequence by sequence: equal to the last bit, for sizes in any order, inside and past the tables' batch sizes and
    /// contexts, with a decode attention table and without one (the roofline's, tiled or not, filling in), at TP 1 and 2.
    /// </summary>
    public class ProfileDecodeBatchTests
    {
        string _temp = "";

        [TearDown]
        public void RemoveTemp()
        {
            if (_temp.Length > 0) Directory.Delete(_temp, true);
            _temp = "";
        }

        /// <summary>
        /// An attention.csv for <paramref name="spec"/> at TP 1 and 2 with prefill rows and decode rows that form no full grid:
        /// each context level measures its own batch sizes (up to 64), one row twice; times uneven but growing with both.
        /// </summary>
        static string AttentionTable(ModelSpec spec)
        {
            var table = new StringBuilder("n_embd,n_q_head,n_kv_head,block_size,num_tensor_parallel_workers,max_model_len,batch_size,prefill_chunk_size,kv_cache_size,is_prefill," +
                "time_stats.attn_prefill.median,time_stats.attn_decode.median\n");
            string shape = spec.HiddenSize + "," + spec.Heads + "," + spec.KvHeads + ",16,";
            var random = new Random(7);
            foreach (int tp in new[] { 1, 2 })
            {
                foreach (int chunk in new[] { 64, 512 })
                    foreach (int context in new[] { 0, 2048 })
                        table.Append(shape).Append(tp).Append(",4096,1,").Append(chunk).Append(',').Append(context).Append(",True,")
                            .Append((0.02 + chunk * (context + chunk) * 1e-7 / tp).ToString("R", CultureInfo.InvariantCulture)).Append(",\n");
                int[] contexts = { 0, 128, 1000, 2048, 4096, 7000 };
                for (int level = 0; level < contexts.Length; level++)
                    foreach (int batch in new[] { 1, 2, 3, 8, 16, 32, 48, 64 }.Where((b, i) => (i + level) % 3 != 0 || b == 1))
                    {
                        double ms = (0.011 + batch * (1 + contexts[level] / 700.0) * 2.3e-4 / tp) * (1 + 0.2 * random.NextDouble());
                        int times = batch == 8 && level == 2 ? 2 : 1;
                        for (int t = 0; t < times; t++)
                            table.Append(shape).Append(tp).Append(",4096,").Append(batch).Append(",0,").Append(contexts[level]).Append(",False,,")
                                .Append((ms * (1 + 0.1 * t)).ToString("R", CultureInfo.InvariantCulture)).Append('\n');
                    }
            }
            return table.ToString();
        }

        /// <summary>A folder with the model's MLP table excerpt and the all-reduce one, and the attention table when asked for.</summary>
        string Profiles(string mlpFile, ModelSpec spec, bool attention)
        {
            _temp = Path.Combine(Path.GetTempPath(), "sim-profile-decodes-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_temp);
            foreach (string name in new[] { mlpFile, "all_reduce_pairwise_nvlink.csv" }) File.Copy(PerfTestSpecs.Fixture(name), Path.Combine(_temp, name));
            if (attention) File.WriteAllText(Path.Combine(_temp, "attention.csv"), AttentionTable(spec));
            return _temp;
        }

        [TestCase("llama-2-7b", "Llama-2-7b-hf_mlp.csv", 1, true, 1)]
        [TestCase("llama-2-7b", "Llama-2-7b-hf_mlp.csv", 2, true, 16)]
        [TestCase("llama-2-70b", "Llama-2-70b-hf_mlp.csv", 2, true, 1)]
        [TestCase("llama-2-7b", "Llama-2-7b-hf_mlp.csv", 1, false, 1)]
        [TestCase("llama-2-70b", "Llama-2-70b-hf_mlp.csv", 2, false, 64)]
        public void DecodeBatchesPricedFromTheirSumsTakeTheTimeOfTheWholeBatch(string id, string mlpFile, int tp, bool attentionTable, int decodeTile)
        {
            ModelSpec spec = PerfTestSpecs.Model(id);
            RooflineEfficiency efficiency = PerfTestSpecs.Efficiency;
            efficiency.AttentionDecodeKvTile = decodeTile;
            var model = ProfilePerfModel.Load(Profiles(mlpFile, spec, attentionTable), spec, PerfTestSpecs.A100, new Parallelism { Tp = tp }, efficiency, 2e-3,
                collectiveLaunchS: 20e-6);
            Assert.That(model.FilledOperators.Contains("attn_decode"), Is.EqualTo(!attentionTable));
            // The decode table is read at the mean context, untiled: only the roofline's decode attention rounds keys up to tiles.
            Assert.That(model.DecodeKvTile, Is.EqualTo(attentionTable ? 1 : decodeTile));
            // Sizes past the MLP table's num_tokens points and the attention table's largest batch (64); contexts past its last level
            // (a decode has a context: one new token after none is a prompt).
            Gen.Int[1, 140].SelectMany(size => Gen.Int[1, 9000].Array[size])
                .Sample(contexts =>
                {
                    // The sums in whole numbers: each decode reads its context and its new token, rounded up to whole tiles.
                    int tile = model.DecodeKvTile;
                    long kvTokens = contexts.Sum(c => (long)c + 1);
                    long tiledKvTokens = contexts.Sum(c => ((long)c + tile) / tile * tile);
                    SequenceWork[] batch = contexts.Select(c => new SequenceWork(1, c)).ToArray();
                    Assert.That(model.DecodeBatchS(contexts.Length, kvTokens, tiledKvTokens), Is.EqualTo(model.IterationTimeS(batch)));
                }, iter: 400, threads: 1);
        }
    
        [Test]
        public void DecodeBatchesOfSizesMetBeforeAllocateNothing()
        {
            ModelSpec spec = PerfTestSpecs.Model("llama-2-70b");
            var model = ProfilePerfModel.Load(Profiles("Llama-2-70b-hf_mlp.csv", spec, attention: true), spec, PerfTestSpecs.A100, new Parallelism { Tp = 2 }, PerfTestSpecs.Efficiency, 0);
            double sum = 0;
            for (int size = 1; size <= 128; size++) sum += model.DecodeBatchS(size, size * 500.0, size * 500.0);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int step = 0; step < 1000; step++)
            {
                int size = 1 + step % 128;
                sum += model.DecodeBatchS(size, size * (400.0 + step), size * (400.0 + step));
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.That(allocated, Is.EqualTo(0));
            Assert.That(sum, Is.GreaterThan(0));
        }
    }
}
