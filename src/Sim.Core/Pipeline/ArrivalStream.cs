using System;
using System.Collections.Generic;
using Sim.Core.Snapshots;
using Sim.Core.Trace;

namespace Sim.Core.Pipeline
{
    /// <summary>
    /// World resource: the trace, read one request ahead so the clock knows the next arrival.
    /// </summary>
    public sealed class ArrivalStream : IDisposable, ISnapshotState
    {
        readonly IEnumerator<TraceRequest> _source;

        public ArrivalStream(IEnumerable<TraceRequest> source, string sourceName)
        {
            _source = source.GetEnumerator();
            SourceName = sourceName;
            Advance();
        }

        /// <summary>Trace file path (for error messages), or "&lt;synthetic&gt;".</summary>
        public string SourceName { get; }

        public bool HasNext { get; private set; }

        public TraceRequest Next { get; private set; }

        public double NextArrivalS => HasNext ? Next.ArrivalS : double.PositiveInfinity;

        /// <summary>Requests taken from the source so far (the one in <see cref="Next"/> included).</summary>
        public long Taken { get; private set; }

        public void Advance()
        {
            HasNext = _source.MoveNext();
            if (HasNext) Taken++;
            Next = HasNext ? _source.Current : default;
        }

        /// <summary>How far the source was read (and whether to its end).</summary>
        void ISnapshotState.Save(SnapshotWriter writer)
        {
            writer.Write(Taken);
            writer.Write(HasNext);
        }

        /// <summary>
        /// Catches a freshly opened stream up with a snapshot's: takes requests from the source until as many are
        /// taken (a source is re-read, not saved: traces are files, synthetic arrivals are regenerated from the seed).
        /// </summary>
        void ISnapshotState.Load(SnapshotReader reader)
        {
            long taken = reader.Read<long>();
            bool hasNext = reader.Read<bool>();
            if (taken < Taken) throw new SnapshotException("the arrival stream is past the snapshot's (" + Taken + " requests taken, not " + taken + "); restore into a simulation just built");
            while (Taken < taken && HasNext) Advance();
            // A stream read to its end holds its last request no longer: one more read finds the end again.
            if (!hasNext && HasNext) Advance();
            if (Taken != taken || HasNext != hasNext) throw new SnapshotException("the workload has only " + Taken + " requests, but the snapshot had taken " + taken + ": another workload");
        }

        public void Dispose() => _source.Dispose();
    }
}
