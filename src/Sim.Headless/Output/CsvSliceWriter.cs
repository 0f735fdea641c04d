using System;
using System.IO;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace Sim.Headless.Output
{
    /// <summary>Formats rows [<paramref name="start"/>, <paramref name="end"/>) of a CSV file into <paramref name="csv"/>, each ended by its line break.</summary>
    internal delegate void CsvRows(CsvLineWriter csv, int start, int end);

    /// <summary>
    /// Formats a CSV file's rows on several threads and writes them in order: the same bytes as one thread writing them all
    /// (a double's shortest round-trip text, the costliest part of a row, is formatted on every free core). The rows are cut
    /// into contiguous slices, taken in rounds of a bounded number: in a round this thread takes the slices from the front,
    /// formatting each straight into the file, while the helpers take them from the back, each into a buffer of its own;
    /// where they meet, this thread writes the helpers' slices in order. This thread never waits for a helper: a slice a
    /// helper holds but has not finished when this thread reaches it (a helper no core runs, on a busy machine) it formats
    /// itself, and the helper's copy is dropped. So a busy machine costs at most a slice a helper a round over one thread,
    /// and memory stays at a round's text however long the file. A helper's failure, or the file's (a full disk), is
    /// thrown here once every helper has stopped.
    /// </summary>
    internal sealed class CsvSliceWriter
    {
        /// <summary>Slices in a round, per thread: the bound on the text the helpers hold.</summary>
        const int RoundSlicesPerThread = 16;

        readonly CsvRows _format;
        readonly int _rows;
        readonly int _sliceRows;
        readonly int _slices;
        // Guards the fields below; pulsed when a round starts or the helpers must stop.
        readonly object _gate = new object();
        // The round being written: slices from _roundStart; this thread's next at _front, the helpers' next at _back
        // (counting down); the helpers take slices while _back >= _front.
        int _round;
        int _roundStart;
        int _front;
        int _back;
        // The helpers' finished slices of the round, by their place in it.
        readonly ArraySegment<byte>?[] _done;
        bool _stop;
        ExceptionDispatchInfo? _failure;

        CsvSliceWriter(CsvRows format, int rows, int sliceRows, int threads)
        {
            _format = format;
            _rows = rows;
            _sliceRows = sliceRows;
            _slices = (rows + sliceRows - 1) / sliceRows;
            _done = new ArraySegment<byte>?[RoundSlicesPerThread * threads];
            _back = -1;
        }

        /// <param name="threads">Threads formatting rows, this one included; one formats them all here.</param>
        /// <param name="sliceRows">Rows in a slice.</param>
        public static void Write(CsvLineWriter csv, int rows, CsvRows format, int threads, int sliceRows)
        {
            if (threads <= 1 || rows <= sliceRows)
            {
                format(csv, 0, rows);
                return;
            }
            var writer = new CsvSliceWriter(format, rows, sliceRows, threads);
            var helpers = new Thread[Math.Min(threads, writer._slices) - 1];
            try
            {
                for (int h = 0; h < helpers.Length; h++)
                {
                    helpers[h] = new Thread(writer.Help) { IsBackground = true, Name = "csv rows" };
                    helpers[h].Start();
                }
                writer.WriteInOrder(csv);
            }
            finally
            {
                lock (writer._gate)
                {
                    writer._stop = true;
                    Monitor.PulseAll(writer._gate);
                }
                foreach (Thread? helper in helpers) helper?.Join();
            }
        }

        /// <summary>This thread: round by round, each slice in order, a helper's finished copy or formatted here.</summary>
        void WriteInOrder(CsvLineWriter csv)
        {
            for (int start = 0; start < _slices; start += _done.Length)
            {
                int end = Math.Min(_slices, start + _done.Length);
                lock (_gate)
                {
                    _round++;
                    _roundStart = start;
                    _front = start;
                    _back = end - 1;
                    Array.Clear(_done, 0, _done.Length);
                    Monitor.PulseAll(_gate);
                }
                for (int slice = start; slice < end; slice++)
                {
                    ArraySegment<byte>? lines;
                    lock (_gate)
                    {
                        _failure?.Throw();
                        lines = _done[slice - start];
                        // Taken from here on: no helper starts it (one may hold it already; its copy is then dropped).
                        if (_front <= slice) _front = slice + 1;
                    }
                    if (lines.HasValue) csv.Lines(lines.Value);
                    else _format(csv, slice * _sliceRows, Math.Min(_rows, (slice + 1) * _sliceRows));
                }
            }
            lock (_gate) _failure?.Throw();
        }

        /// <summary>
        /// A helper: takes the round's slices from the back into its buffer, one after another, until it meets this thread,
        /// then waits for the next round. Its buffer is emptied at a new round, when the last round's slices are all written.
        /// </summary>
        void Help()
        {
            var buffer = new MemoryStream();
            var writer = new CsvLineWriter(buffer);
            int round = 0;
            while (true)
            {
                int slice, start;
                lock (_gate)
                {
                    while (true)
                    {
                        if (_stop || _failure != null) return;
                        if (_round != round)
                        {
                            round = _round;
                            buffer.SetLength(0);
                        }
                        if (_back >= _front) break;
                        Monitor.Wait(_gate);
                    }
                    slice = _back--;
                    start = _roundStart;
                }
                try
                {
                    int from = (int)buffer.Length;
                    _format(writer, slice * _sliceRows, Math.Min(_rows, (slice + 1) * _sliceRows));
                    writer.Flush();
                    var lines = new ArraySegment<byte>(buffer.GetBuffer(), from, (int)buffer.Length - from);
                    lock (_gate)
                        if (_round == round) _done[slice - start] = lines;
                }
                catch (Exception e)
                {
                    lock (_gate)
                    {
                        _failure ??= ExceptionDispatchInfo.Capture(e);
                        Monitor.PulseAll(_gate);
                    }
                    return;
                }
            }
        }
    }
}
