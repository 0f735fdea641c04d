using System;
using System.Collections.Generic;
using Sim.Core.Snapshots;

namespace Sim.Core.Metrics
{
    /// <summary>
    /// World resource: one <see cref="RequestRecord"/> per request, indexed by request id, plus the
    /// streaming histograms of every inter-token gap, one per replica (in its own order, so replicas that step in separate
    /// worlds, a partitioned run, give the same figures). Each request ends exactly once (checked).
    /// </summary>
    public sealed class RequestLog : ISnapshotState
    {
        // Pinned, so its pages can be mapped ahead of the records written into them; a record is written whole as it opens.
        RequestRecord[] _records;
        // Records [0, _mappedRecords) lie in pages already mapped: Open maps the next stretch as it reaches it.
        int _mappedRecords;
        const int MappedStretchBytes = 1 << 20;

        readonly LogHistogram[] _tokenGapsS;

        public RequestLog(long expectedRequests, int replicas)
        {
            _records = PageHint.AllocatePinned<RequestRecord>((int)Math.Max(16, Math.Min(expectedRequests, int.MaxValue / 2)));
            _tokenGapsS = new LogHistogram[replicas];
            for (int r = 0; r < replicas; r++) _tokenGapsS[r] = new LogHistogram();
        }

        /// <summary>Records written so far: one per request that arrived.</summary>
        public int Count { get; private set; }

        /// <summary>The gaps between the output tokens replica <paramref name="replica"/> emitted.</summary>
        public LogHistogram TokenGapsOf(int replica) => _tokenGapsS[replica];

        /// <summary>Every replica's token gaps in one histogram, made on each call: the replicas' sums added in index order.</summary>
        public LogHistogram TokenGapsS()
        {
            var all = new LogHistogram();
            foreach (LogHistogram replica in _tokenGapsS) all.Absorb(replica);
            return all;
        }

        /// <summary>Output tokens emitted by all requests together.</summary>
        public long EmittedTokens { get; set; }

        public int Completed { get; private set; }

        public int Rejected { get; private set; }

        void ISnapshotState.Save(SnapshotWriter writer)
        {
            writer.Write(_records, Count);
            writer.Write(EmittedTokens);
            writer.Write(Completed);
            writer.Write(Rejected);
            foreach (LogHistogram replica in _tokenGapsS) ((ISnapshotState)replica).Save(writer);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            RequestRecord[] records = reader.Read<RequestRecord[]>();
            if (_records.Length < records.Length) _records = PageHint.AllocatePinned<RequestRecord>(records.Length);
            Array.Clear(_records, 0, _records.Length);
            _mappedRecords = _records.Length;
            Array.Copy(records, _records, records.Length);
            Count = records.Length;
            EmittedTokens = reader.Read<long>();
            Completed = reader.Read<int>();
            Rejected = reader.Read<int>();
            foreach (LogHistogram replica in _tokenGapsS) ((ISnapshotState)replica).Load(reader);
        }

        /// <summary>Called as each request ends (the embedding host's events); null when nobody listens.</summary>
        internal Action<long, RequestOutcome>? Ended { get; set; }

        public ReadOnlySpan<RequestRecord> Records => new ReadOnlySpan<RequestRecord>(_records, 0, Count);

        public ref RequestRecord this[long id] => ref _records[id];

        /// <summary>Brings the record of request <paramref name="id"/> in ahead of its use (a hint: nothing is read or checked).</summary>
        internal void FetchRecord(long id)
        {
            if ((ulong)id < (ulong)Count) CacheHint.FetchWhole(_records, (int)id);
        }

        /// <summary>Opens the record of a request that just arrived. Ids must come in arrival order 0, 1, 2, ...</summary>
        public ref RequestRecord Open(long id)
        {
            if (id != Count) throw new InvalidOperationException("request ids must arrive in order: expected " + Count + ", got " + id);
            if (Count == _records.Length) Grow();
            if (Count == _mappedRecords) MapAhead();
            Count++;
            ref RequestRecord record = ref _records[id];
            record = new RequestRecord
            {
                Id = id,
                Replica = -1,
                DecodeReplica = -1,
                FirstScheduledS = double.NaN,
                FirstTokenS = double.NaN,
                FinishS = double.NaN,
            };
            return ref record;
        }

        void Grow()
        {
            RequestRecord[] records = PageHint.AllocatePinned<RequestRecord>(_records.Length * 2);
            // The whole array: records placed by partitions lie past the count until they are tallied.
            Array.Copy(_records, records, _records.Length);
            _records = records;
        }

        /// <summary>Maps the pages of the next stretch of records, which the next arrivals write: one call instead of a page fault each.</summary>
        unsafe void MapAhead()
        {
            int records = Math.Min(_records.Length - Count, MappedStretchBytes / sizeof(RequestRecord));
            PageHint.Populate(_records, Count, records);
            _mappedRecords = Count + records;
        }

        /// <summary>
        /// Copies the records of <paramref name="part"/>, the log of a partition of this run, to their places: its request i is
        /// this run's request <paramref name="ids"/>[i] (the ids grow), its replica j this run's <paramref name="firstReplica"/> + j.
        /// False, copying nothing, when they lie past the records made room for (the expected requests); partitions' places never
        /// overlap, so each may copy on its own thread. <see cref="Tally"/> then counts them in.
        /// </summary>
        internal bool TryPlace(RequestLog part, List<long> ids, int firstReplica)
        {
            RequestRecord[] records = _records;
            if (part.Count == 0) return true;
            long last = ids[part.Count - 1];
            if (last >= records.Length) return false;
            // The pages of the stretch it writes mapped in one call, not a fault each (another partition's stretch overlaps it).
            PageHint.Populate(records, (int)ids[0], (int)(last - ids[0] + 1));
            for (int i = 0; i < part.Count; i++)
            {
                long id = ids[i];
                ref RequestRecord record = ref records[id];
                record = part._records[i];
                record.Id = id;
                if (record.Replica >= 0) record.Replica += firstReplica;
            }
            return true;
        }

        /// <summary><see cref="TryPlace"/>, making room first (on the run's own thread).</summary>
        internal void Place(RequestLog part, List<long> ids, int firstReplica)
        {
            while (part.Count > 0 && ids[part.Count - 1] >= _records.Length) Grow();
            TryPlace(part, ids, firstReplica);
        }

        /// <summary>Counts in the placed records of <paramref name="part"/> (whose last has id <paramref name="lastId"/>), its ends, tokens and token gaps.</summary>
        internal void Tally(RequestLog part, long lastId, int firstReplica)
        {
            Count = (int)Math.Max(Count, lastId + 1);
            _mappedRecords = Math.Max(_mappedRecords, Count);
            EmittedTokens += part.EmittedTokens;
            Completed += part.Completed;
            Rejected += part.Rejected;
            for (int r = 0; r < part._tokenGapsS.Length; r++) _tokenGapsS[firstReplica + r].Absorb(part._tokenGapsS[r]);
        }

        /// <summary>Marks the end of a request; a second end of the same request is a bug.</summary>
        public void End(long id, RequestOutcome outcome)
        {
            ref RequestRecord record = ref _records[id];
            if (record.Outcome != RequestOutcome.Pending)
                throw new InvalidOperationException("request " + id + " ended twice (" + record.Outcome + ", then " + outcome + ")");
            record.Outcome = outcome;
            if (outcome == RequestOutcome.Completed) Completed++;
            else Rejected++;
            Ended?.Invoke(id, outcome);
        }
    }
}
