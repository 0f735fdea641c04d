using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Parquet;
using Parquet.Schema;

namespace Sim.Headless.Tests
{
    /// <summary><c>--iterations none|csv|parquet</c>: the Parquet file read back holds iterations.csv's rows, value for value.</summary>
    public class IterationsFormatTests
    {
        string _dir = "";

        [SetUp]
        public void MakeFolder()
        {
            _dir = Path.Combine(TestContext.CurrentContext.TestDirectory, "iterations-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
            var text = new StringBuilder("TIMESTAMP,ContextTokens,GeneratedTokens\n");
            var start = new DateTime(2023, 11, 16, 18, 0, 0);
            for (int i = 0; i < 400; i++)
                text.Append(start.AddMilliseconds(91 * i).ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "," + (100 + 37 * i % 900) + "," + (5 + 13 * i % 200)).Append('\n');
            File.WriteAllText(Path.Combine(_dir, "trace.csv"), text.ToString());
            // A small KV cache so that the rows include preemptions and a full cache.
            File.WriteAllText(Path.Combine(_dir, "scene.yaml"), "name: t\nmodel: llama-2-7b\nhardware: a100-80g\ncluster: { replicas: 2 }\nkv: { capacity_tokens: 4000 }\nworkload:\n  trace: trace.csv\n");
        }

        [TearDown]
        public void RemoveFolder() => Directory.Delete(_dir, true);

        string Scene => Path.Combine(_dir, "scene.yaml");

        [Test]
        public async System.Threading.Tasks.Task ParquetHoldsTheCsvRowsValueForValue()
        {
            string csvOut = Path.Combine(_dir, "csv"), parquetOut = Path.Combine(_dir, "parquet");
            Assert.That(CliRunner.Run("run", Scene, "--out", csvOut).ExitCode, Is.EqualTo(0));
            var (code, _, stderr) = CliRunner.Run("run", Scene, "--out", parquetOut, "--iterations", "parquet");
            Assert.That(code, Is.EqualTo(0), stderr);
            Assert.That(Directory.GetFiles(parquetOut).Select(Path.GetFileName), Is.EquivalentTo(new[] { "summary.json", "requests.csv", "iterations.parquet" }));
            Assert.That(File.ReadAllBytes(Path.Combine(parquetOut, "requests.csv")), Is.EqualTo(File.ReadAllBytes(Path.Combine(csvOut, "requests.csv"))));

            string[] csv = File.ReadAllLines(Path.Combine(csvOut, "iterations.csv"));
            string[] header = csv[0].Split(',');
            string[][] rows = csv.Skip(1).Select(line => line.Split(',')).ToArray();
            Assert.That(rows.Any(r => r[7] != "0"), Is.True, "the run has preemptions");

            using Stream file = File.OpenRead(Path.Combine(parquetOut, "iterations.parquet"));
            await using ParquetReader reader = await ParquetReader.CreateAsync(file);
            Assert.That(reader.Schema.DataFields.Select(f => f.Name), Is.EqualTo(header));
            var columns = new string[header.Length][];
            for (int c = 0; c < header.Length; c++) columns[c] = Array.Empty<string>();
            for (int group = 0; group < reader.RowGroupCount; group++)
            {
                using ParquetRowGroupReader groupReader = reader.OpenRowGroupReader(group);
                for (int c = 0; c < header.Length; c++)
                {
                    DataField field = reader.Schema.DataFields[c];
                    int rowCount = checked((int)groupReader.RowCount);
                    string[] values = field.ClrType == typeof(int) ? Read<int>(groupReader, field, rowCount)
                        : field.ClrType == typeof(long) ? Read<long>(groupReader, field, rowCount)
                        : Read<double>(groupReader, field, rowCount);
                    columns[c] = columns[c].Concat(values).ToArray();
                }
            }
            for (int c = 0; c < header.Length; c++)
                Assert.That(columns[c], Is.EqualTo(rows.Select(r => r[c]).ToArray()), header[c]);
        }

        [Test]
        public void NoneWritesNoIterationRowsAndTheSameRequests()
        {
            string csvOut = Path.Combine(_dir, "csv"), noneOut = Path.Combine(_dir, "none");
            Assert.That(CliRunner.Run("run", Scene, "--out", csvOut).ExitCode, Is.EqualTo(0));
            Assert.That(CliRunner.Run("run", Scene, "--out", noneOut, "--iterations", "none").ExitCode, Is.EqualTo(0));
            Assert.That(Directory.GetFiles(noneOut).Select(Path.GetFileName), Is.EquivalentTo(new[] { "summary.json", "requests.csv" }));
            Assert.That(File.ReadAllBytes(Path.Combine(noneOut, "requests.csv")), Is.EqualTo(File.ReadAllBytes(Path.Combine(csvOut, "requests.csv"))));
        }

        [Test]
        public void AnUnknownFormatIsOneLineAndExitTwo()
        {
            var (code, _, stderr) = CliRunner.Run("run", Scene, "--out", Path.Combine(_dir, "x"), "--iterations", "json");
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stderr.Trim(), Is.EqualTo("error: --iterations: json: unknown format; use none, csv or parquet"));
            Assert.That(Directory.Exists(Path.Combine(_dir, "x")), Is.False);
        }

        /// <summary>A column's values as iterations.csv writes them (doubles as shortest round-trip text).</summary>
        static string[] Read<T>(ParquetRowGroupReader group, DataField field, int rows) where T : struct, IFormattable
        {
            var values = new T[rows];
            group.ReadAsync<T>(field, values).AsTask().GetAwaiter().GetResult();
            return values.Select(v => v.ToString(typeof(T) == typeof(double) ? "R" : null, CultureInfo.InvariantCulture)).ToArray();
        }
    }
}
