using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using Sim.Core.Trace;

namespace Sim.Core.Scenes
{
    /// <summary>
    /// Trace files read once for many runs over them (a sweep's points, a capacity search's loads), safe to share between
    /// threads: the first N requests of a file as read (before any time scale), by path, format and N. Only those N are
    /// read, as a single run reads them, so a bad line past them matters no more than it does there.
    /// </summary>
    public sealed class TraceCache
    {
        readonly ConcurrentDictionary<(string Path, TraceFormat Format, long MaxRequests), Lazy<TraceRequest[]>> _traces =
            new ConcurrentDictionary<(string, TraceFormat, long), Lazy<TraceRequest[]>>();

        /// <summary>The first <paramref name="maxRequests"/> (all when null) requests of the trace, read on first use; a bad trace throws every time.</summary>
        public TraceRequest[] Read(string path, TraceFormat format, long? maxRequests) =>
            _traces.GetOrAdd((Path.GetFullPath(path), format, maxRequests ?? -1),
                _ => new Lazy<TraceRequest[]>(() => TraceTransforms.Apply(TraceFile.Read(path, format), maxRequests, 1).ToArray())).Value;
    }
}
