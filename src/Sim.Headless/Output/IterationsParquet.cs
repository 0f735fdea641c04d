using System;
using System.IO;
using Parquet;
using Parquet.Schema;
using Sim.Core.Metrics;

namespace Sim.Headless.Output
{
    /// <summary>
    /// iterations.parquet (<c>--iterations parquet</c>): iterations.csv's columns with the same names, typed (int32 counts,
    /// int64 iteration, double seconds), Snappy-compressed, through Parquet.Net. Rows gather in reused column arrays and go
    /// out a row group of <see cref="RowGroupRows"/> at a time, so the run streams as with the CSV and allocates nothing per row.
    /// </summary>
    public sealed class IterationsParquet : IIterationSink, IDisposable
    {
        public const int RowGroupRows = 1 << 16;

        static readonly DataField<int> Replica = new("replica");
        static readonly DataField<long> Iteration = new("iteration");
        static readonly DataField<double> StartS = new("start_s");
        static readonly DataField<double> DurationS = new("duration_s");
        static readonly DataField<int> NumSeqs = new("num_seqs");
        static readonly DataField<int> PrefillTokens = new("prefill_tokens");
        static readonly DataField<int> DecodeTokens = new("decode_tokens");
        static readonly DataField<int> Preempted = new("preempted");
        static readonly DataField<int> KvUsedPages = new("kv_used_pages");
        static readonly DataField<int> KvTotalPages = new("kv_total_pages");
        static readonly DataField<double> KvUtilization = new("kv_utilization");
        static readonly DataField<int> Waiting = new("waiting");
        static readonly DataField<int> Running = new("running");
        static readonly DataField<double> TransferS = new("transfer_s");

        /// <summary>The schema, in iterations.csv's column order.</summary>
        public static readonly ParquetSchema Schema = new(Replica, Iteration, StartS, DurationS, NumSeqs, PrefillTokens, DecodeTokens,
            Preempted, KvUsedPages, KvTotalPages, KvUtilization, Waiting, Running, TransferS);

        readonly Stream _stream;
        readonly ParquetWriter _writer;
        readonly int[] _replica = new int[RowGroupRows], _numSeqs = new int[RowGroupRows], _prefill = new int[RowGroupRows],
            _decode = new int[RowGroupRows], _preempted = new int[RowGroupRows], _kvUsed = new int[RowGroupRows],
            _kvTotal = new int[RowGroupRows], _waiting = new int[RowGroupRows], _running = new int[RowGroupRows];
        readonly long[] _iteration = new long[RowGroupRows];
        readonly double[] _startS = new double[RowGroupRows], _durationS = new double[RowGroupRows],
            _kvUtilization = new double[RowGroupRows], _transferS = new double[RowGroupRows];
        int _rows;

        public IterationsParquet(Stream stream)
        {
            _stream = stream;
            _writer = ParquetWriter.CreateAsync(Schema, stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy })
                .GetAwaiter().GetResult();
        }

        public void OnIteration(in IterationRecord iteration)
        {
            int row = _rows++;
            _replica[row] = iteration.Replica;
            _iteration[row] = iteration.Iteration;
            _startS[row] = iteration.StartS;
            _durationS[row] = iteration.DurationS;
            _numSeqs[row] = iteration.NumSeqs;
            _prefill[row] = iteration.PrefillTokens;
            _decode[row] = iteration.DecodeTokens;
            _preempted[row] = iteration.Preempted;
            _kvUsed[row] = iteration.KvUsedPages;
            _kvTotal[row] = iteration.KvTotalPages;
            _kvUtilization[row] = (double)iteration.KvUsedPages / iteration.KvTotalPages;
            _waiting[row] = iteration.Waiting;
            _running[row] = iteration.Running;
            _transferS[row] = iteration.TransferS;
            if (_rows == RowGroupRows) WriteRowGroup();
        }

        void WriteRowGroup()
        {
            using (ParquetRowGroupWriter group = _writer.CreateRowGroup())
            {
                Write(group, Replica, _replica);
                Write(group, Iteration, _iteration);
                Write(group, StartS, _startS);
                Write(group, DurationS, _durationS);
                Write(group, NumSeqs, _numSeqs);
                Write(group, PrefillTokens, _prefill);
                Write(group, DecodeTokens, _decode);
                Write(group, Preempted, _preempted);
                Write(group, KvUsedPages, _kvUsed);
                Write(group, KvTotalPages, _kvTotal);
                Write(group, KvUtilization, _kvUtilization);
                Write(group, Waiting, _waiting);
                Write(group, Running, _running);
                Write(group, TransferS, _transferS);
            }
            _rows = 0;
        }

        void Write<T>(ParquetRowGroupWriter group, DataField<T> field, T[] column) where T : struct =>
            group.WriteAsync<T>(field, new ReadOnlyMemory<T>(column, 0, _rows)).GetAwaiter().GetResult();

        /// <summary>Writes the last, partial row group and the footer.</summary>
        public void Dispose()
        {
            if (_rows > 0) WriteRowGroup();
            _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _stream.Dispose();
        }
    }
}
