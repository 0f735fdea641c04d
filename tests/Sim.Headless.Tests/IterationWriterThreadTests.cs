using System;
using System.Collections.Generic;
using System.IO;
using NUnit.Framework;
using Sim.Core.Metrics;
using Sim.Headless.Output;

namespace Sim.Headless.Tests
{
    /// <summary>The iteration rows' writer thread: every row reaches the sink once, in order, before the sink is disposed; the sink's failure reaches the run.</summary>
    public class IterationWriterThreadTests
    {
        /// <summary>Keeps each row's iteration number, and whether rows came after its disposal; fails at one row when asked.</summary>
        sealed class Recorder : IIterationSink, IDisposable
        {
            public readonly List<long> Iterations = new List<long>();
            public bool Disposed;
            public bool RowAfterDispose;
            public long FailAt = -1;

            public void OnIteration(in IterationRecord iteration)
            {
                if (Disposed) RowAfterDispose = true;
                if (iteration.Iteration == FailAt) throw new IOException("No space left on device");
                Iterations.Add(iteration.Iteration);
            }

            public void Dispose() => Disposed = true;
        }

        // No row; fewer than a batch; whole batches; batches and a part.
        [TestCase(0)]
        [TestCase(17)]
        [TestCase(IterationWriterThread.BatchRows * 2)]
        [TestCase(IterationWriterThread.BatchRows * 5 + 1234)]
        public void EveryRowReachesTheSinkInOrderBeforeItIsDisposed(int rows)
        {
            var recorder = new Recorder();
            using (var writer = new IterationWriterThread(recorder))
                for (int i = 0; i < rows; i++)
                    writer.OnIteration(new IterationRecord { Iteration = i, StartS = i * 0.5 });
            Assert.That(recorder.Iterations, Is.EqualTo(CountTo(rows)));
            Assert.That((recorder.Disposed, recorder.RowAfterDispose), Is.EqualTo((true, false)));
        }

        [TestCase(10, 100)]
        [TestCase(10, IterationWriterThread.BatchRows * 4)]
        [TestCase(IterationWriterThread.BatchRows * 2 + 5, IterationWriterThread.BatchRows * 6)]
        public void TheSinksFailureIsThrownToTheRunAndTheSinkStillDisposed(int failAt, int rows)
        {
            var recorder = new Recorder { FailAt = failAt };
            var writer = new IterationWriterThread(recorder);
            // Thrown by a later hand-over, or at the latest by Dispose: the run stops with the sink's own exception.
            var error = Assert.Throws<IOException>(() =>
            {
                using (writer)
                    for (int i = 0; i < rows; i++)
                        writer.OnIteration(new IterationRecord { Iteration = i });
            })!;
            Assert.That(error.Message, Is.EqualTo("No space left on device"));
            Assert.That(recorder.Iterations, Is.EqualTo(CountTo(failAt)), "the rows before the failure, and none after it");
            Assert.That(recorder.Disposed, Is.True);
        }

        static List<long> CountTo(int count)
        {
            var numbers = new List<long>();
            for (long i = 0; i < count; i++) numbers.Add(i);
            return numbers;
        }
    }
}
