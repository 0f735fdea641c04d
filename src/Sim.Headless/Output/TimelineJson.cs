using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Sim.Core.Metrics;

namespace Sim.Headless.Output
{
    /// <summary>
    /// <c>--timeline</c>: the run as Chrome trace-event JSON, which the Perfetto UI and chrome://tracing open. One
    /// process per replica; on its <c>iterations</c> track a slice per iteration named by what it ran (prefill,
    /// decode or mixed) with its counts, and an instant where it preempted; on <c>kv copies</c> the lower-tier and
    /// swap copies it waited for and the KV hand-offs to the decode pool; on <c>expert loads</c> the wait for
    /// offloaded MoE experts; counters for KV pages and queue lengths. Times are simulated microseconds. Streamed as
    /// the run goes.
    /// </summary>
    public sealed class TimelineJson : IIterationSink, IDisposable
    {
        const int IterationsTrack = 0, CopiesTrack = 1, ExpertsTrack = 2;

        /// <summary>The writer buffers until flushed: hand it to the stream every so often, so a long run stays small in memory.</summary>
        const int FlushBytes = 1 << 16;

        readonly Stream _stream;
        readonly Utf8JsonWriter _json;
        readonly HashSet<int> _named = new HashSet<int>();

        /// <param name="stream">Written to and closed with this writer.</param>
        public TimelineJson(Stream stream)
        {
            _stream = stream;
            _json = new Utf8JsonWriter(stream);
            _json.WriteStartObject();
            _json.WriteString("displayTimeUnit", "ms");
            _json.WriteStartArray("traceEvents");
        }

        public void OnIteration(in IterationRecord iteration)
        {
            int replica = iteration.Replica;
            if (_named.Add(replica)) NameTracks(replica);
            double startUs = iteration.StartS * 1e6;
            string kind = iteration.PrefillTokens > 0 ? (iteration.DecodeTokens > 0 ? "mixed" : "prefill") : "decode";
            Slice(replica, IterationsTrack, kind, "iteration", startUs, iteration.DurationS * 1e6);
            _json.WriteStartObject("args");
            _json.WriteNumber("iteration", iteration.Iteration);
            _json.WriteNumber("num_seqs", iteration.NumSeqs);
            _json.WriteNumber("prefill_tokens", iteration.PrefillTokens);
            _json.WriteNumber("decode_tokens", iteration.DecodeTokens);
            _json.WriteNumber("kv_used_pages", iteration.KvUsedPages);
            _json.WriteEndObject();
            _json.WriteEndObject();
            if (iteration.Preempted > 0)
            {
                Event(replica, IterationsTrack, "preempt", "scheduler", "i", startUs);
                _json.WriteString("s", "t");
                _json.WriteStartObject("args");
                _json.WriteNumber("requests", iteration.Preempted);
                _json.WriteEndObject();
                _json.WriteEndObject();
            }
            if (iteration.TransferS > 0)
                EndedSlice(replica, CopiesTrack, "kv copy in", "kv", startUs, iteration.TransferS * 1e6);
            if (iteration.HandOffs > 0)
            {
                double endUs = startUs + iteration.DurationS * 1e6;
                Slice(replica, CopiesTrack, "kv hand-off", "kv", endUs, iteration.HandOffS * 1e6);
                _json.WriteStartObject("args");
                _json.WriteNumber("requests", iteration.HandOffs);
                _json.WriteEndObject();
                _json.WriteEndObject();
            }
            if (iteration.ExpertLoadS > 0)
                EndedSlice(replica, ExpertsTrack, "expert load", "moe", startUs, iteration.ExpertLoadS * 1e6);
            Counter(replica, "kv_pages", startUs, ("used", iteration.KvUsedPages), ("total", iteration.KvTotalPages));
            Counter(replica, "queues", startUs, ("waiting", iteration.Waiting), ("running", iteration.Running));
            if (_json.BytesPending > FlushBytes) _json.Flush();
        }

        void NameTracks(int replica)
        {
            Metadata(replica, null, "process_name", "replica " + replica);
            Metadata(replica, null, "process_sort_index", null, replica);
            Metadata(replica, IterationsTrack, "thread_name", "iterations");
            Metadata(replica, CopiesTrack, "thread_name", "kv copies");
            Metadata(replica, ExpertsTrack, "thread_name", "expert loads");
        }

        void Metadata(int replica, int? track, string name, string? value, int sortIndex = 0)
        {
            _json.WriteStartObject();
            _json.WriteString("ph", "M");
            _json.WriteString("name", name);
            _json.WriteNumber("pid", replica);
            if (track.HasValue) _json.WriteNumber("tid", track.Value);
            _json.WriteStartObject("args");
            if (value != null) _json.WriteString("name", value);
            else _json.WriteNumber("sort_index", sortIndex);
            _json.WriteEndObject();
            _json.WriteEndObject();
        }

        /// <summary>Opens a complete ("X") event; the caller may add fields and must end the object.</summary>
        void Slice(int replica, int track, string name, string category, double startUs, double durationUs)
        {
            Event(replica, track, name, category, "X", startUs);
            _json.WriteNumber("dur", durationUs);
        }

        void EndedSlice(int replica, int track, string name, string category, double startUs, double durationUs)
        {
            Slice(replica, track, name, category, startUs, durationUs);
            _json.WriteEndObject();
        }

        void Event(int replica, int track, string name, string category, string phase, double startUs)
        {
            _json.WriteStartObject();
            _json.WriteString("ph", phase);
            _json.WriteString("name", name);
            _json.WriteString("cat", category);
            _json.WriteNumber("pid", replica);
            _json.WriteNumber("tid", track);
            _json.WriteNumber("ts", startUs);
        }

        void Counter(int replica, string name, double startUs, (string Name, int Value) first, (string Name, int Value) second)
        {
            _json.WriteStartObject();
            _json.WriteString("ph", "C");
            _json.WriteString("name", name);
            _json.WriteNumber("pid", replica);
            _json.WriteNumber("ts", startUs);
            _json.WriteStartObject("args");
            _json.WriteNumber(first.Name, first.Value);
            _json.WriteNumber(second.Name, second.Value);
            _json.WriteEndObject();
            _json.WriteEndObject();
        }

        /// <summary>Closes the JSON document and the stream.</summary>
        public void Dispose()
        {
            _json.WriteEndArray();
            _json.WriteEndObject();
            _json.Dispose();
            _stream.Dispose();
        }
    }
}
