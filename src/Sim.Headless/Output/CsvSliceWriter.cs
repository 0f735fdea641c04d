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
    /// into contiguous slices, which the threads claim one at a time in order; a helper formats its slice into a buffer of its
    /// own, this thread writes the buffers in order and formats a slice itself whenever the next to write is not done (straight
    /// into the file when it is that one). A helper no core runs (a busy machine) so costs this thread nothing but the slice it
    /// holds. Slices are claimed at most a window ahead of the writing, so memory stays at the window's buffers however long
    /// the file. A helper's failure, or the file's (a full disk), is thrown here once every helper has stopped.
    /// </summary>
    internal sealed class CsvSliceWriter
    {
        /// <summary>Slices claimed ahead of the writing, per thread.</summary>
        const int WindowPerThread = 4;

        readonly CsvRows _format;
        readonly int _rows;
        readonly int _sliceRows;
        readonly int _slices;
        readonly Slot[] _window;
        // Guards the fields below; pulsed whenever a slice is claimed, done or written, or the helpers must stop.
        readonly object _gate = new object();
        int _claimed;
        int _written;
        bool _stop;
        ExceptionDispatchInfo? _failure;

        CsvSliceWriter(CsvRows format, int rows, int sliceRows, int threads)
        {
            _format = format;
            _rows = rows;
            _sliceRows = sliceRows;
            _slices = (rows + sliceRows - 1) / sliceRows;
            _window = new Slot[WindowPerThread * threads];
        }

        /// <param name="threads">Threads formatting rows, this one included; one formats them all here.</param>
        /// <param name="sliceRows">Rows in a slice: bounds each buffer.</param>
        public static void Write(CsvLineWriter csv, int rows, CsvRows format, int threads, int sliceRows)
        {
            if (threads <= 1 || rows <= sliceRows)
            {
                format(csv, 0, rows);
                return;
            }
            var writer = new CsvSliceWriter(format, rows, sliceRows, threads);
            // The first slice is this thread's, straight into the file, while the helpers start on the next ones.
            writer._claimed = 1;
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

        /// <summary>This thread: each slice in turn into the file, formatting slices itself while the next is not done.</summary>
        void WriteInOrder(CsvLineWriter csv)
        {
            _format(csv, 0, End(0));
            lock (_gate)
            {
                _written = 1;
                Monitor.PulseAll(_gate);
            }
            int next = 1;
            while (next < _slices)
            {
                int claimed = -1;
                Slot? done;
                lock (_gate)
                {
                    while (true)
                    {
                        _failure?.Throw();
                        done = _window[next % _window.Length];
                        if (done != null && done.Slice == next) break;
                        done = null;
                        claimed = Claim();
                        if (claimed >= 0) break;
                        Monitor.Wait(_gate);
                    }
                }
                if (done != null)
                    csv.Lines(new ReadOnlySpan<byte>(done.Buffer.GetBuffer(), 0, (int)done.Buffer.Length));
                else if (claimed == next)
                    _format(csv, next * _sliceRows, End(next));
                else
                {
                    Format(claimed);
                    continue;
                }
                lock (_gate)
                {
                    _written = ++next;
                    Monitor.PulseAll(_gate);
                }
            }
        }

        /// <summary>A helper thread: claims and formats slices until none is left, the writing stops, or one fails.</summary>
        void Help()
        {
            while (true)
            {
                int slice;
                lock (_gate)
                {
                    while ((slice = Claim()) < 0)
                    {
                        if (_stop || _claimed == _slices) return;
                        Monitor.Wait(_gate);
                    }
                }
                try
                {
                    Format(slice);
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

        /// <summary>The next slice, or -1 when all are claimed, the window is full or the writing stopped (under the gate).</summary>
        int Claim()
        {
            if (_stop || _failure != null || _claimed == _slices || _claimed == _written + _window.Length) return -1;
            return _claimed++;
        }

        /// <summary>Formats a claimed slice into its place in the window, which the writing has emptied.</summary>
        void Format(int slice)
        {
            int place = slice % _window.Length;
            Slot? slot;
            lock (_gate) slot = _window[place];
            slot ??= new Slot();
            slot.Buffer.SetLength(0);
            _format(slot.Writer, slice * _sliceRows, End(slice));
            slot.Writer.Flush();
            lock (_gate)
            {
                slot.Slice = slice;
                _window[place] = slot;
                Monitor.PulseAll(_gate);
            }
        }

        int End(int slice) => Math.Min(_rows, (slice + 1) * _sliceRows);

        /// <summary>A slice's lines, formatted apart; reused for the slice a window later.</summary>
        sealed class Slot
        {
            public readonly MemoryStream Buffer = new MemoryStream();
            public readonly CsvLineWriter Writer;
            // Which slice the buffer holds, once done.
            public int Slice = -1;

            public Slot() => Writer = new CsvLineWriter(Buffer);
        }
    }
}
