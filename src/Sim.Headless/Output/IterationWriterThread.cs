using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using Sim.Core.Metrics;

namespace Sim.Headless.Output
{
    /// <summary>
    /// Writes iteration rows through another sink on a thread of its own, in the run's order: the run's loop copies each
    /// row into a batch and goes on while the writer formats the rows before it (a double's shortest round-trip text is
    /// the costliest part of a row), so on a second core the rows cost the loop little. Two batches take turns; the loop
    /// waits only when the writer is a whole batch behind. The sink's failure (a full disk) is thrown by the loop's next
    /// hand-off, or by <see cref="Dispose"/>, which writes what is left and then disposes the sink.
    /// </summary>
    internal sealed class IterationWriterThread : IIterationSink, IDisposable
    {
        // About 100 KiB a batch: the two stay in a core's cache between the loop's writes and the writer's reads, and few of their
        // pages are faulted in fresh; a hand-over costs a few microseconds, some fifty of them in a 50,000-iteration run.
        internal const int BatchRows = 1024;

        readonly IIterationSink _sink;
        readonly IterationRecord[][] _batches = { new IterationRecord[BatchRows], new IterationRecord[BatchRows] };
        readonly int[] _counts = new int[2];
        // Set on the batch that ends the rows, before it is handed over (read by the writer as it takes the batch).
        readonly bool[] _last = new bool[2];
        // Batches filled and not yet written, for the writer; batches free to fill, for the loop (both start free).
        readonly SemaphoreSlim _filled = new SemaphoreSlim(0);
        readonly SemaphoreSlim _free = new SemaphoreSlim(2);
        readonly Thread _writer;
        int _filling;
        int _rows;
        ExceptionDispatchInfo? _failure;
        bool _failureThrown;
        bool _disposed;

        public IterationWriterThread(IIterationSink sink)
        {
            _sink = sink;
            _free.Wait();
            _writer = new Thread(Write) { IsBackground = true, Name = "iteration rows" };
            _writer.Start();
        }

        public void OnIteration(in IterationRecord iteration)
        {
            _batches[_filling][_rows++] = iteration;
            if (_rows == BatchRows) HandOver(last: false);
        }

        void HandOver(bool last)
        {
            _counts[_filling] = _rows;
            _last[_filling] = last;
            _filled.Release();
            _rows = 0;
            _filling ^= 1;
            if (last) return;
            _free.Wait();
            ThrowFailure();
        }

        void ThrowFailure()
        {
            ExceptionDispatchInfo? failure = Volatile.Read(ref _failure);
            if (failure == null || _failureThrown) return;
            _failureThrown = true;
            failure.Throw();
        }

        /// <summary>The writer: each batch in turn through the sink; after a failure the batches are only handed back.</summary>
        void Write()
        {
            for (int batch = 0; ; batch ^= 1)
            {
                _filled.Wait();
                bool last = _last[batch];
                if (_failure == null)
                {
                    try
                    {
                        IterationRecord[] rows = _batches[batch];
                        for (int i = 0; i < _counts[batch]; i++) _sink.OnIteration(rows[i]);
                    }
                    catch (Exception e)
                    {
                        Volatile.Write(ref _failure, ExceptionDispatchInfo.Capture(e));
                    }
                }
                _free.Release();
                if (last) return;
            }
        }

        /// <summary>Writes the rows not yet written, waits for the writer, then disposes the sink (flushing it).</summary>
        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            HandOver(last: true);
            _writer.Join();
            _filled.Dispose();
            _free.Dispose();
            try
            {
                ThrowFailure();
            }
            finally
            {
                (_sink as IDisposable)?.Dispose();
            }
        }
    }
}
