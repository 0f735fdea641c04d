using System;
using System.IO;
using NUnit.Framework;
using Sim.Core.PerfModel;

namespace Sim.Core.Tests.PerfModel
{
    /// <summary>
    /// A profile folder with faults in several tables reports the one that reading them one after another meets first (the
    /// MLP table, then attention, then all-reduce), although the attention table is read beside the others.
    /// </summary>
    public class ProfileDirectoryErrorTests
    {
        const string AttentionHeader = "n_embd,n_q_head,n_kv_head,block_size,num_tensor_parallel_workers,max_model_len,batch_size,prefill_chunk_size,kv_cache_size,is_prefill," +
            "time_stats.attn_prefill.median,time_stats.attn_decode.median\n";

        string _dir = "";

        [SetUp]
        public void MakeFolder()
        {
            _dir = Path.Combine(Path.GetTempPath(), "sim-profile-errors-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
        }

        [TearDown]
        public void RemoveFolder() => Directory.Delete(_dir, true);

        void Write(bool badMlp, bool badAttention, bool twoAllReduceTables)
        {
            string[] mlp = File.ReadAllLines(PerfTestSpecs.Fixture("Llama-2-7b-hf_mlp.csv"));
            if (badMlp)
            {
                int column = Array.IndexOf(mlp[0].Split(','), "time_stats.mlp_act.median");
                string[] third = mlp[3].Split(',');
                third[column] = "-0.5";
                mlp[3] = string.Join(",", third);
            }
            File.WriteAllLines(Path.Combine(_dir, "mlp.csv"), mlp);
            File.WriteAllText(Path.Combine(_dir, "attention.csv"), AttentionHeader +
                "4096,32,32,16,1,4096,1,128,0,True,0.10,\n" +
                "4096,32,32,16,1,4096,8,0,1024,False,," + (badAttention ? "0" : "0.060") + "\n");
            File.Copy(PerfTestSpecs.Fixture("all_reduce_pairwise_nvlink.csv"), Path.Combine(_dir, "all_reduce_pairwise_nvlink.csv"));
            if (twoAllReduceTables) File.Copy(PerfTestSpecs.Fixture("all_reduce_pairwise_nvlink.csv"), Path.Combine(_dir, "all_reduce_pcie.csv"));
        }

        SimInputException LoadError() => Assert.Throws<SimInputException>(() =>
            ProfilePerfModel.Load(_dir, PerfTestSpecs.Model("llama-2-7b"), PerfTestSpecs.A100, new Parallelism { Tp = 1 }, PerfTestSpecs.Efficiency, 0.002))!;

        [Test]
        public void TheMlpTablesFaultComesFirst()
        {
            Write(badMlp: true, badAttention: true, twoAllReduceTables: true);
            SimInputException error = LoadError();
            Assert.That((Path.GetFileName(error.File), error.Line, error.Field), Is.EqualTo(("mlp.csv", 4, "time_stats.mlp_act.median")));
        }

        [Test]
        public void ThenTheAttentionTables()
        {
            Write(badMlp: false, badAttention: true, twoAllReduceTables: true);
            SimInputException error = LoadError();
            Assert.That((Path.GetFileName(error.File), error.Line, error.Field), Is.EqualTo(("attention.csv", 3, "time_stats.attn_decode.median")));
        }

        [Test]
        public void ThenTheAllReduceTables()
        {
            Write(badMlp: false, badAttention: false, twoAllReduceTables: true);
            Assert.That(LoadError().Problem, Does.StartWith("several all-reduce tables (all_reduce_pairwise_nvlink.csv, all_reduce_pcie.csv)"));
        }

        // The caller's work given to the reader (a run's trace read) runs once, on the calling thread, whatever the tables hold.
        [TestCase(false)]
        [TestCase(true)]
        public void TheCallersWorkRunsOnceOnItsThreadBesideTheAttentionTable(bool badMlp)
        {
            Write(badMlp, badAttention: false, twoAllReduceTables: false);
            int runs = 0, thread = -1;
            void Meanwhile()
            {
                runs++;
                thread = Environment.CurrentManagedThreadId;
            }
            TestDelegate load = () => ProfileDirectory.Load(_dir, PerfTestSpecs.Model("llama-2-7b"), Meanwhile);
            if (badMlp) Assert.Throws<SimInputException>(load);
            else load();
            Assert.That((runs, thread), Is.EqualTo((1, Environment.CurrentManagedThreadId)));
        }

        [Test]
        public void WithoutFaultsTheTablesAreRead()
        {
            Write(badMlp: false, badAttention: false, twoAllReduceTables: false);
            var model = ProfilePerfModel.Load(_dir, PerfTestSpecs.Model("llama-2-7b"), PerfTestSpecs.A100, new Parallelism { Tp = 1 }, PerfTestSpecs.Efficiency, 0.002);
            Assert.That(model.FilledOperators, Is.Empty);
        }
    }
}
