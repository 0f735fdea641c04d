using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace Sim.Core.PerfModel
{
    /// <summary>
    /// The measured tables for one model in a profile folder, in Vidur's layout (<c>mlp.csv</c>, <c>attention.csv</c>,
    /// <c>all_reduce.csv</c>) or flattened as in ../shared/profiles (<c>&lt;model&gt;_mlp.csv</c>,
    /// <c>all_reduce_&lt;link&gt;.csv</c>). Among several models' tables, the one whose shape columns match the model
    /// is taken; a table of another shape is refused at its row and column. Only the MLP table is required.
    /// </summary>
    internal sealed class ProfileDirectory
    {
        ProfileDirectory(MlpProfile mlp, AttentionProfile? attention, AllReduceProfile? allReduce)
        {
            Mlp = mlp;
            Attention = attention;
            AllReduce = allReduce;
        }

        public MlpProfile Mlp { get; }

        public AttentionProfile? Attention { get; }

        public AllReduceProfile? AllReduce { get; }

        /// <param name="meanwhile">
        /// The caller's own work (its trace read) for this thread while another reads the attention table, before this one reads
        /// the others: the two threads then do all the reading between them, where a third would share the two cores with them.
        /// It must not throw (it keeps its error for its caller).
        /// </param>
        public static ProfileDirectory Load(string dir, ModelSpec model, Action? meanwhile = null)
        {
            if (!Directory.Exists(dir)) throw new SimInputException(dir, 0, "", "no such profile folder");
            // The attention table, the largest (thousands of rows), is read on a thread of its own while this one reads the
            // others: the same tables, and the same error as reading them one after another (the MLP table's first, then the
            // attention table's, then the all-reduce one's), whichever thread met it.
            AttentionProfile? attention = null;
            ExceptionDispatchInfo? attentionError = null;
            var attentionReader = new Thread(() =>
            {
                try
                {
                    attention = Choose(dir, "attention", AttentionProfile.Read, p => p.Rows.Select(row => (row.Line, AttentionMismatch(row, model))), model);
                }
                catch (Exception e)
                {
                    attentionError = ExceptionDispatchInfo.Capture(e);
                }
            });
            attentionReader.Start();
            meanwhile?.Invoke();
            MlpProfile? mlp = null;
            AllReduceProfile? allReduce = null;
            ExceptionDispatchInfo? mlpError = null, allReduceError = null;
            try
            {
                mlp = Choose(dir, "mlp", MlpProfile.Read, p => p.Rows.Select(row => (row.Line, MlpMismatch(row, model))), model)
                    ?? throw new SimInputException(dir, 0, "", "no mlp.csv or *_mlp.csv here: the MLP table is required");
                allReduce = AllReduceTable(dir);
            }
            catch (Exception e)
            {
                if (mlp == null) mlpError = ExceptionDispatchInfo.Capture(e);
                else allReduceError = ExceptionDispatchInfo.Capture(e);
            }
            attentionReader.Join();
            mlpError?.Throw();
            attentionError?.Throw();
            allReduceError?.Throw();
            return new ProfileDirectory(mlp!, attention, allReduce);
        }

        /// <summary>The folder's all-reduce table, or null when it has none.</summary>
        static AllReduceProfile? AllReduceTable(string dir)
        {
            string[] allReduce = Tables(dir, "all_reduce", "all_reduce_*.csv");
            if (allReduce.Length > 1)
                throw new SimInputException(dir, 0, "", "several all-reduce tables (" + string.Join(", ", allReduce.Select(Path.GetFileName)) + "); keep the one for this GPU's link");
            return allReduce.Length == 1 ? AllReduceProfile.Read(allReduce[0]) : null;
        }

        /// <summary>
        /// The table of <paramref name="kind"/> for <paramref name="model"/>: <c>KIND.csv</c> when present (it must match),
        /// else the one <c>*_KIND.csv</c> whose rows all match; null when there is none of either.
        /// </summary>
        static T? Choose<T>(string dir, string kind, Func<string, int, T> read, Func<T, IEnumerable<(int Line, (string Column, string Problem)? Mismatch)>> check, ModelSpec model)
            where T : class
        {
            string[] files = Tables(dir, kind, "*_" + kind + ".csv");
            if (files.Length == 0) return null;
            var refusals = new List<SimInputException>();
            var matching = new List<(string File, T Table)>();
            foreach (string file in files)
            {
                // Another model's table shows at its first row: read in full only a table whose first row matches.
                var first = check(read(file, 1)).FirstOrDefault(r => r.Mismatch != null);
                if (first.Mismatch.HasValue)
                {
                    refusals.Add(new SimInputException(file, first.Line, first.Mismatch.Value.Column, first.Mismatch.Value.Problem));
                    continue;
                }
                T table = read(file, int.MaxValue);
                first = check(table).FirstOrDefault(r => r.Mismatch != null);
                if (first.Mismatch.HasValue)
                    refusals.Add(new SimInputException(file, first.Line, first.Mismatch.Value.Column, first.Mismatch.Value.Problem));
                else
                    matching.Add((file, table));
            }
            if (matching.Count == 1) return matching[0].Table;
            if (matching.Count > 1)
                throw new SimInputException(dir, 0, "", "several " + kind + " tables match " + model.Id + "'s shape (" + string.Join(", ", matching.Select(m => Path.GetFileName(m.File))) + "); keep one");
            if (refusals.Count == 1) throw refusals[0];
            throw new SimInputException(dir, 0, "", "no " + kind + " table has " + model.Id + "'s shape: " + string.Join("; ", refusals.Select(r => r.Message)));
        }

        /// <summary><c>KIND.csv</c> alone when it exists, else the files matching <paramref name="pattern"/>, by name.</summary>
        static string[] Tables(string dir, string kind, string pattern)
        {
            string exact = Path.Combine(dir, kind + ".csv");
            if (File.Exists(exact)) return new[] { exact };
            return Directory.GetFiles(dir, pattern).OrderBy(f => f, StringComparer.Ordinal).ToArray();
        }

        /// <summary>The first shape column of an MLP row that differs from the model (the vocabulary is not compared: the table has no LM head, and Vidur pads it).</summary>
        static (string, string)? MlpMismatch(MlpProfile.Row row, ModelSpec model) =>
            Differs("n_embd", row.Model.HiddenSize, model.HiddenSize, model)
            ?? Differs("n_head", row.Model.Heads, model.Heads, model)
            ?? Differs("n_kv_head", row.Model.KvHeads, model.KvHeads, model)
            ?? Differs("n_expanded_embd", row.Model.IntermediateSize, model.DenseIntermediateSize, model)
            ?? (row.Model.GatedMlp == model.GatedMlp ? null : ("use_gated_mlp", Shape(row.Model.GatedMlp.ToString(), model.GatedMlp.ToString(), model)));

        static (string, string)? AttentionMismatch(AttentionProfile.Row row, ModelSpec model) =>
            Differs("n_embd", row.HiddenSize, model.HiddenSize, model)
            ?? Differs("n_q_head", row.Heads, model.Heads, model)
            ?? Differs("n_kv_head", row.KvHeads, model.KvHeads, model);

        static (string, string)? Differs(string column, int table, int expected, ModelSpec model) =>
            table == expected ? null : (column, Shape(table.ToString(System.Globalization.CultureInfo.InvariantCulture), expected.ToString(System.Globalization.CultureInfo.InvariantCulture), model));

        static string Shape(string table, string expected, ModelSpec model) =>
            table + " in the table, but " + model.Id + " has " + expected + ": these are another model's measurements";
    }
}
