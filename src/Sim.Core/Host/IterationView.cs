using System.Collections.Generic;
using Sim.Core.Metrics;
using Sim.Core.Policies;
using Sim.Core.Snapshots;

namespace Sim.Core.Host
{
    /// <summary>One finished iteration of one replica, copied out of the scheduler's record: what ran and what it cost.</summary>
    public sealed class IterationView
    {
        /// <param name="decision">What the scheduler chose for the iteration.</param>
        /// <param name="record">What the iteration did, as the iteration sinks got it.</param>
        internal IterationView(SchedulerOutput decision, in IterationRecord record)
        {
            Replica = record.Replica;
            Iteration = record.Iteration;
            StartS = record.StartS;
            DurationS = record.DurationS;
            TransferS = record.TransferS;
            PrefillTokens = record.PrefillTokens;
            DecodeTokens = record.DecodeTokens;
            KvUsedPages = record.KvUsedPages;
            KvTotalPages = record.KvTotalPages;
            Waiting = record.Waiting;
            Running = record.Running;
            _sequences = new ScheduledSequence[decision.Count];
            for (int i = 0; i < _sequences.Length; i++) _sequences[i] = decision[i];
            _preemptedRequestIds = new long[decision.PreemptedRequestIds.Count];
            for (int i = 0; i < _preemptedRequestIds.Length; i++) _preemptedRequestIds[i] = decision.PreemptedRequestIds[i];
        }

        /// <summary>A view read back from a host snapshot (which keeps each replica's last iteration), as <see cref="Save"/> wrote it.</summary>
        internal IterationView(SnapshotReader reader)
        {
            Replica = reader.Read<int>();
            Iteration = reader.Read<long>();
            StartS = reader.Read<double>();
            DurationS = reader.Read<double>();
            TransferS = reader.Read<double>();
            PrefillTokens = reader.Read<int>();
            DecodeTokens = reader.Read<int>();
            KvUsedPages = reader.Read<int>();
            KvTotalPages = reader.Read<int>();
            Waiting = reader.Read<int>();
            Running = reader.Read<int>();
            _sequences = reader.Read<ScheduledSequence[]>();
            _preemptedRequestIds = reader.Read<long[]>();
        }

        internal void Save(SnapshotWriter writer)
        {
            writer.Write(Replica);
            writer.Write(Iteration);
            writer.Write(StartS);
            writer.Write(DurationS);
            writer.Write(TransferS);
            writer.Write(PrefillTokens);
            writer.Write(DecodeTokens);
            writer.Write(KvUsedPages);
            writer.Write(KvTotalPages);
            writer.Write(Waiting);
            writer.Write(Running);
            writer.Write(_sequences);
            writer.Write(_preemptedRequestIds);
        }

        readonly ScheduledSequence[] _sequences;
        readonly long[] _preemptedRequestIds;

        public int Replica { get; }
        public long Iteration { get; }
        public double StartS { get; }
        public double DurationS { get; }

        /// <summary>Of the duration, KV copies waited for (lower tiers, swap-ins).</summary>
        public double TransferS { get; }

        public int PrefillTokens { get; }
        public int DecodeTokens { get; }

        /// <summary>Tokens the batch computed: prefill chunks plus one per decode (what the token budget limits).</summary>
        public int BatchTokens => PrefillTokens + DecodeTokens;

        public int KvUsedPages { get; }
        public int KvTotalPages { get; }
        public int Waiting { get; }
        public int Running { get; }

        /// <summary>Each request's share: prefill chunks and decodes, in batch order.</summary>
        public IReadOnlyList<ScheduledSequence> Sequences => _sequences;

        /// <summary>Requests preempted to make room for this iteration, newest first.</summary>
        public IReadOnlyList<long> PreemptedRequestIds => _preemptedRequestIds;
    }
}
