using System;
using System.Collections.Generic;
using Sim.Core.Policies;

namespace Sim.Core.Host
{
    /// <summary>One finished iteration of one replica, copied out of the scheduler's record: what ran and what it cost.</summary>
    public sealed class IterationView
    {
        internal IterationView(SchedulerOutput output, int kvTotalPages)
        {
            Replica = output.Replica;
            Iteration = output.Iteration;
            StartS = output.StartS;
            DurationS = output.DurationS;
            TransferS = output.TransferS;
            PrefillTokens = output.PrefillTokens;
            DecodeTokens = output.DecodeTokens;
            KvUsedPages = output.KvUsedPages;
            KvTotalPages = kvTotalPages;
            Waiting = output.Waiting;
            Running = output.Running;
            _sequences = output.Sequences.ToArray();
            _preemptedRequestIds = output.PreemptedRequestIds.ToArray();
        }

        /// <summary>An empty view for a snapshot to fill (host snapshots keep each replica's last iteration).</summary>
        internal IterationView()
        {
            _sequences = Array.Empty<ScheduledSequence>();
            _preemptedRequestIds = Array.Empty<long>();
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
