using System.Collections.Generic;
using Sim.Core.Snapshots;

namespace Sim.Core.Policies
{
    /// <summary>
    /// A scheduler's decision for one iteration of one replica: plain data, the single boundary
    /// between deciding and executing (and what the viewer shows). Reused every iteration.
    /// </summary>
    public sealed class SchedulerOutput : ISnapshotState
    {
        public SchedulerOutput(int maxNumSeqs)
        {
            Sequences = new List<ScheduledSequence>(maxNumSeqs);
            PreemptedRequestIds = new List<long>(maxNumSeqs);
        }

        public int Replica { get; set; }

        /// <summary>0-based iteration number of this replica.</summary>
        public long Iteration { get; set; }

        public double StartS { get; set; }

        /// <summary>Set by the execute phase: the perf model's time plus <see cref="TransferS"/>.</summary>
        public double DurationS { get; set; }

        /// <summary>KV copies into HBM this iteration waits for (cached pages from lower tiers, swapped-in requests).</summary>
        public double TransferS { get; set; }

        /// <summary>Of <see cref="DurationS"/>, the wait for MoE experts loaded into HBM (offload misses).</summary>
        public double ExpertLoadS { get; set; }

        /// <summary>Requests that finished their prefill here and left for the decode pool (disaggregation).</summary>
        public int HandOffs { get; set; }

        /// <summary>The longest of those hand-offs' KV transfers, from the iteration's end.</summary>
        public double HandOffS { get; set; }

        public List<ScheduledSequence> Sequences { get; }

        /// <summary>Requests preempted to make room, newest first.</summary>
        public List<long> PreemptedRequestIds { get; }

        /// <summary>Of the preempted requests, those whose KV was swapped out to host memory rather than dropped.</summary>
        public int SwappedOutRequests { get; set; }

        /// <summary>Swapped-out requests whose KV was copied back in to run again.</summary>
        public int SwappedInRequests { get; set; }

        public int PrefillTokens { get; set; }

        public int DecodeTokens { get; set; }

        /// <summary>KV pages in use during the iteration (after this iteration's reservations).</summary>
        public int KvUsedPages { get; set; }

        /// <summary>Queue lengths right after scheduling.</summary>
        public int Waiting { get; set; }

        public int Running { get; set; }

        void ISnapshotState.Save(SnapshotWriter writer)
        {
            writer.Write(Replica);
            writer.Write(Iteration);
            writer.Write(StartS);
            writer.Write(DurationS);
            writer.Write(TransferS);
            writer.Write(ExpertLoadS);
            writer.Write(HandOffs);
            writer.Write(HandOffS);
            writer.Write(Sequences);
            writer.Write(PreemptedRequestIds);
            writer.Write(SwappedOutRequests);
            writer.Write(SwappedInRequests);
            writer.Write(PrefillTokens);
            writer.Write(DecodeTokens);
            writer.Write(KvUsedPages);
            writer.Write(Waiting);
            writer.Write(Running);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            Replica = reader.Read<int>();
            Iteration = reader.Read<long>();
            StartS = reader.Read<double>();
            DurationS = reader.Read<double>();
            TransferS = reader.Read<double>();
            ExpertLoadS = reader.Read<double>();
            HandOffs = reader.Read<int>();
            HandOffS = reader.Read<double>();
            reader.ReadInto(Sequences);
            reader.ReadInto(PreemptedRequestIds);
            SwappedOutRequests = reader.Read<int>();
            SwappedInRequests = reader.Read<int>();
            PrefillTokens = reader.Read<int>();
            DecodeTokens = reader.Read<int>();
            KvUsedPages = reader.Read<int>();
            Waiting = reader.Read<int>();
            Running = reader.Read<int>();
        }

        public void Clear(int replica, long iteration, double startS)
        {
            Replica = replica;
            Iteration = iteration;
            StartS = startS;
            DurationS = 0;
            TransferS = 0;
            ExpertLoadS = 0;
            HandOffs = 0;
            HandOffS = 0;
            SwappedOutRequests = 0;
            SwappedInRequests = 0;
            Sequences.Clear();
            PreemptedRequestIds.Clear();
            PrefillTokens = 0;
            DecodeTokens = 0;
            KvUsedPages = 0;
            Waiting = 0;
            Running = 0;
        }

        public void Add(in ScheduledSequence sequence)
        {
            Sequences.Add(sequence);
            if (sequence.IsPrefill) PrefillTokens += sequence.NewTokens;
            else DecodeTokens += sequence.NewTokens;
        }
    }
}
