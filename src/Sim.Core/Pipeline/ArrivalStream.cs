using System;
using System.Collections.Generic;
using Sim.Core.Ecs;
using Sim.Core.Trace;

namespace Sim.Core.Pipeline
{
    /// <summary>
    /// World resource: the trace, read one request ahead so the clock knows the next arrival, and the
    /// requests that arrived this step and still await routing.
    /// </summary>
    public sealed class ArrivalStream : IDisposable
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

        /// <summary>Requests created this step, in arrival order, not yet routed.</summary>
        public List<Entity> Arrived { get; } = new List<Entity>(64);

        public void Advance()
        {
            HasNext = _source.MoveNext();
            Next = HasNext ? _source.Current : default;
        }

        public void Dispose() => _source.Dispose();
    }
}
