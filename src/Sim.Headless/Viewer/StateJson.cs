using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Sim.Core.Components;
using Sim.Core.Host;
using Sim.Core.Kv;
using Sim.Core.Metrics;
using Sim.Core.Policies;

namespace Sim.Headless.Viewer
{
    /// <summary>What the viewer page draws, for one replica, as JSON (the <c>/api/state</c> answer). docs/VIEWER.md lists the fields.</summary>
    public static class StateJson
    {
        /// <summary>Points in each time series at most: beyond this many iterations, each point is a slice of simulated time.</summary>
        public const int SeriesPoints = 600;

        public static byte[] Write(SimulationHost host, IReadOnlyCollection<LatencyPoint> latencies, IterationHistory history, int replica, long followed)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("scene", host.Scene.Name);
                json.WriteNumber("now_s", host.NowS);
                json.WriteNumber("steps", host.Steps);
                json.WriteBoolean("done", host.Done);
                json.WriteNumber("replicas", host.ReplicaCount);
                json.WriteNumber("replica", replica);
                json.WriteNumber("max_batch_tokens", host.Scene.MaxBatchTokens);
                json.WriteNumber("completed", host.Simulation.Log.Completed);
                json.WriteNumber("rejected", host.Simulation.Log.Rejected);
                Batch(json, host.LastIteration(replica));
                Requests(json, "waiting", host.Waiting(replica));
                Requests(json, "running", host.Running(replica));
                Pages(json, host.Pages(replica), host.Simulation.Cluster.Replicas[replica].Kv.Prefix);
                Experts(json, host.Experts(replica));
                Series(json, history.Of(replica), host.NowS);
                json.WriteStartArray("latencies");
                // In finishing order, ties by id: the same whether the points came live or were rebuilt after going back.
                foreach (LatencyPoint point in latencies.OrderBy(p => p.FinishS).ThenBy(p => p.Id))
                {
                    json.WriteStartArray();
                    json.WriteNumberValue(point.FinishS);
                    json.WriteNumberValue(point.TtftS);
                    json.WriteNumberValue(point.MaxTbtS);
                    json.WriteEndArray();
                }
                json.WriteEndArray();
                Followed(json, host, followed);
                json.WriteEndObject();
            }
            return buffer.ToArray();
        }

        static void Batch(Utf8JsonWriter json, IterationView? last)
        {
            if (last == null)
            {
                json.WriteNull("batch");
                return;
            }
            json.WriteStartObject("batch");
            json.WriteNumber("iteration", last.Iteration);
            json.WriteNumber("start_s", last.StartS);
            json.WriteNumber("duration_s", last.DurationS);
            json.WriteNumber("prefill_tokens", last.PrefillTokens);
            json.WriteNumber("decode_tokens", last.DecodeTokens);
            json.WriteNumber("batch_tokens", last.BatchTokens);
            json.WriteStartArray("sequences");
            foreach (ScheduledSequence sequence in last.Sequences)
            {
                json.WriteStartObject();
                json.WriteNumber("id", sequence.RequestId);
                json.WriteString("kind", sequence.IsPrefill ? "prefill" : "decode");
                json.WriteNumber("new_tokens", sequence.NewTokens);
                json.WriteNumber("context_tokens", sequence.ContextTokens);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("preempted");
            foreach (long id in last.PreemptedRequestIds) json.WriteNumberValue(id);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        static void Requests(Utf8JsonWriter json, string name, IReadOnlyList<RequestView> requests)
        {
            json.WriteStartArray(name);
            foreach (RequestView request in requests) Request(json, request);
            json.WriteEndArray();
        }

        static void Request(Utf8JsonWriter json, in RequestView request)
        {
            json.WriteStartObject();
            json.WriteNumber("id", request.Id);
            json.WriteString("phase", request.Phase.ToString().ToLowerInvariant());
            json.WriteNumber("prompt_tokens", request.PromptTokens);
            json.WriteNumber("output_tokens", request.OutputTokens);
            json.WriteNumber("computed_tokens", request.ComputedTokens);
            json.WriteNumber("generated_tokens", request.GeneratedTokens);
            json.WriteNumber("preemptions", request.Preemptions);
            json.WriteBoolean("swapped", request.SwappedOut);
            json.WriteNumber("pages", request.Pages);
            json.WriteNumber("evicted_tokens", request.EvictedTokens);
            json.WriteNumber("resident_tokens", request.ResidentTokens);
            json.WriteEndObject();
        }

        static void Pages(Utf8JsonWriter json, IReadOnlyList<PageView> pages, PrefixCache? prefix)
        {
            int owned = 0, cached = 0;
            var uses = new char[pages.Count];
            json.WriteStartObject("pages");
            json.WriteStartArray("owners");
            for (int i = 0; i < pages.Count; i++)
            {
                PageView page = pages[i];
                uses[i] = page.Use == PageUse.Owned ? 'o' : page.Use == PageUse.Cached ? 'c' : 'f';
                if (page.Use == PageUse.Owned) owned++;
                if (page.Use == PageUse.Cached) cached++;
                json.WriteNumberValue(page.Owner);
            }
            json.WriteEndArray();
            json.WriteStartArray("blocks");
            foreach (PageView page in pages) json.WriteNumberValue(page.Block);
            json.WriteEndArray();
            json.WriteString("uses", new string(uses));
            json.WriteNumber("total", pages.Count);
            json.WriteNumber("owned", owned);
            json.WriteNumber("cached", cached);
            json.WriteNumber("free", pages.Count - owned - cached);
            json.WriteNumber("host_blocks", prefix?.Host?.Blocks ?? 0);
            json.WriteNumber("ssd_blocks", prefix?.Ssd?.Blocks ?? 0);
            json.WriteEndObject();
        }

        static void Experts(Utf8JsonWriter json, IReadOnlyList<ExpertState> experts)
        {
            if (experts.Count == 0)
            {
                json.WriteNull("experts");
                return;
            }
            long hits = 0, misses = 0;
            int layers = 0;
            var tiers = new char[experts.Count];
            for (int i = 0; i < experts.Count; i++)
            {
                hits += experts[i].Hits;
                misses += experts[i].Misses;
                layers = System.Math.Max(layers, experts[i].Layer + 1);
                tiers[i] = experts[i].Tier == ExpertTier.Hbm ? 'h' : experts[i].Tier == ExpertTier.Host ? 'd' : 's';
            }
            json.WriteStartObject("experts");
            json.WriteNumber("layers", layers);
            json.WriteNumber("per_layer", experts.Count / layers);
            json.WriteString("tiers", new string(tiers));
            json.WriteNumber("hits", hits);
            json.WriteNumber("misses", misses);
            json.WriteEndObject();
        }

        /// <summary>
        /// The replica's iterations over simulated time: one point per iteration, or, past <see cref="SeriesPoints"/>
        /// iterations, one per slice of [0, now] holding any (at its last iteration's end: the mean sequences, tokens and
        /// KV utilisation of its iterations, the queues after the last, the preemptions summed).
        /// </summary>
        static void Series(Utf8JsonWriter json, IReadOnlyList<IterationSample> samples, double nowS)
        {
            var points = new List<(double EndS, double Sequences, double Prefill, double Decode, int Waiting, int Running, double Kv, int Preempted)>();
            double sliceS = samples.Count <= SeriesPoints ? 0 : nowS / SeriesPoints;
            for (int i = 0; i < samples.Count;)
            {
                long slice = sliceS > 0 ? (long)(samples[i].EndS / sliceS) : i;
                int first = i;
                double sequences = 0, prefill = 0, decode = 0, kv = 0;
                int preempted = 0;
                for (; i < samples.Count && (sliceS > 0 ? (long)(samples[i].EndS / sliceS) : i) == slice; i++)
                {
                    sequences += samples[i].Sequences;
                    prefill += samples[i].PrefillTokens;
                    decode += samples[i].DecodeTokens;
                    kv += samples[i].KvUtilization;
                    preempted += samples[i].Preempted;
                }
                int n = i - first;
                IterationSample last = samples[i - 1];
                points.Add((last.EndS, sequences / n, prefill / n, decode / n, last.Waiting, last.Running, kv / n, preempted));
            }
            json.WriteStartObject("series");
            json.WriteNumber("iterations", samples.Count);
            void Column(string name, Func<int, double> value)
            {
                json.WriteStartArray(name);
                for (int p = 0; p < points.Count; p++) json.WriteNumberValue(value(p));
                json.WriteEndArray();
            }
            Column("end_s", p => points[p].EndS);
            Column("sequences", p => points[p].Sequences);
            Column("prefill_tokens", p => points[p].Prefill);
            Column("decode_tokens", p => points[p].Decode);
            Column("waiting", p => points[p].Waiting);
            Column("running", p => points[p].Running);
            Column("kv_utilization", p => points[p].Kv);
            Column("preempted", p => points[p].Preempted);
            json.WriteEndObject();
        }

        /// <summary>
        /// The request the user clicked, wherever it is now: queued or running (<c>replica</c>, <c>request</c>), finished
        /// (<c>finished</c>: how it ended, from the log), or not arrived yet (<c>arrived</c> false); null when none is followed.
        /// </summary>
        static void Followed(Utf8JsonWriter json, SimulationHost host, long followed)
        {
            for (int replica = 0; replica < host.ReplicaCount && followed >= 0; replica++)
                foreach (IReadOnlyList<RequestView> list in new[] { host.Running(replica), host.Waiting(replica) })
                    foreach (RequestView request in list)
                        if (request.Id == followed)
                        {
                            json.WritePropertyName("followed");
                            json.WriteStartObject();
                            json.WriteNumber("replica", replica);
                            json.WritePropertyName("request");
                            Request(json, request);
                            json.WriteEndObject();
                            return;
                        }
            if (followed < 0)
            {
                json.WriteNull("followed");
                return;
            }
            json.WritePropertyName("followed");
            json.WriteStartObject();
            json.WriteNumber("id", followed);
            bool arrived = followed < host.Simulation.Log.Count;
            json.WriteBoolean("arrived", arrived);
            if (arrived)
            {
                RequestRecord record = host.Simulation.Log[followed];
                json.WriteNumber("replica", record.Replica);
                if (record.Outcome != RequestOutcome.Pending)
                {
                    json.WriteStartObject("finished");
                    json.WriteString("status", record.Outcome == RequestOutcome.Completed ? "completed" : "rejected");
                    json.WriteNumber("finish_s", record.FinishS);
                    if (record.Outcome == RequestOutcome.Completed)
                    {
                        json.WriteNumber("ttft_s", record.TtftS);
                        json.WriteNumber("e2e_s", record.E2eS);
                        json.WriteNumber("output_tokens", record.OutputTokens);
                        json.WriteNumber("preemptions", record.Preemptions);
                    }
                    json.WriteEndObject();
                }
            }
            json.WriteEndObject();
        }
    }
}
