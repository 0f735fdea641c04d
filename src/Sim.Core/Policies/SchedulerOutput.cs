using System;
using System.Collections.Generic;
using Sim.Core.Snapshots;

namespace Sim.Core.Policies
{
    /// <summary>
    /// A scheduler's decision for one iteration of one replica: plain data, the single boundary between deciding and
    /// executing (and what the viewer shows). Only the scheduler writes it; once the schedule phase has made it, it is
    /// final (<see cref="Seal"/>), and what the iteration then did goes to <see cref="Pipeline.IterationOutcome"/>.
    /// Reused every iteration.
    /// </summary>
    public sealed class SchedulerOutput : ISnapshotState
    {
        readonly List<ScheduledSequence> _sequences;
        readonly List<long> _preemptedRequestIds;
        bool _sealed;
        // A fast-forward lane's batch of this many decodes whose sequences it writes before its move ends (OweDecodes); within a
        // move only the record phase reads the decision, and none of its sequences. -1: the sequences are written.
        int _owedDecodes = -1;
        double _transferS;
        int _swappedOutRequests, _swappedInRequests;

        public SchedulerOutput(int maxNumSeqs)
        {
            _sequences = new List<ScheduledSequence>(maxNumSeqs);
            _preemptedRequestIds = new List<long>(maxNumSeqs);
        }

        public int Replica { get; private set; }

        /// <summary>0-based iteration number of this replica.</summary>
        public long Iteration { get; private set; }

        public double StartS { get; private set; }

        /// <summary>KV copies into HBM this iteration waits for (cached pages from lower tiers, swapped-in requests).</summary>
        public double TransferS
        {
            get => _transferS;
            set => _transferS = Deciding(value);
        }

        public IReadOnlyList<ScheduledSequence> Sequences => _owedDecodes < 0 ? _sequences : throw Owed();

        public int Count => _owedDecodes < 0 ? _sequences.Count : _owedDecodes;

        public ScheduledSequence this[int slot] => _owedDecodes < 0 ? _sequences[slot] : throw Owed();

        /// <summary>Requests preempted to make room, newest first.</summary>
        public IReadOnlyList<long> PreemptedRequestIds => _preemptedRequestIds;

        /// <summary>Of the preempted requests, those whose KV was swapped out to host memory rather than dropped.</summary>
        public int SwappedOutRequests
        {
            get => _swappedOutRequests;
            set => _swappedOutRequests = Deciding(value);
        }

        /// <summary>Swapped-out requests whose KV was copied back in to run again.</summary>
        public int SwappedInRequests
        {
            get => _swappedInRequests;
            set => _swappedInRequests = Deciding(value);
        }

        public int PrefillTokens { get; private set; }

        public int DecodeTokens { get; private set; }

        /// <summary>Starts a new decision for <paramref name="replica"/>'s iteration <paramref name="iteration"/>.</summary>
        public void Clear(int replica, long iteration, double startS)
        {
            _sealed = false;
            _owedDecodes = -1;
            Replica = replica;
            Iteration = iteration;
            StartS = startS;
            _transferS = 0;
            _swappedOutRequests = 0;
            _swappedInRequests = 0;
            _sequences.Clear();
            _preemptedRequestIds.Clear();
            PrefillTokens = 0;
            DecodeTokens = 0;
        }

        public void Add(in ScheduledSequence sequence)
        {
            Deciding(0);
            _sequences.Add(sequence);
            if (sequence.IsPrefill) PrefillTokens += sequence.NewTokens;
            else DecodeTokens += sequence.NewTokens;
        }

        public void AddPreempted(long requestId)
        {
            Deciding(0);
            _preemptedRequestIds.Add(requestId);
        }

        /// <summary>
        /// Makes this sealed batch of decodes iteration <paramref name="iteration"/>, starting at <paramref name="startS"/>: the
        /// fast-forward's repeat of the same batch, whose sequences' contexts it rewrites before the move ends (within the move
        /// only the record phase reads the decision, and none of its sequences).
        /// </summary>
        internal void Repeat(long iteration, double startS)
        {
            Iteration = iteration;
            StartS = startS;
        }

        /// <summary>
        /// Makes this the sealed batch of <paramref name="decodes"/> decodes of <paramref name="replica"/>'s iteration
        /// <paramref name="iteration"/>, its shape and token counts set and its sequences owed: the fast-forward's batch of every
        /// running decode, which it writes in full (<see cref="Clear"/>, then each sequence) before its move ends. Reading a
        /// sequence before then is a bug, and throws.
        /// </summary>
        internal void OweDecodes(int replica, long iteration, double startS, int decodes)
        {
            Clear(replica, iteration, startS);
            _owedDecodes = decodes;
            DecodeTokens = decodes;
            _sealed = true;
        }

        InvalidOperationException Owed() =>
            new InvalidOperationException("replica " + Replica + "'s decision for iteration " + Iteration + " is read before its fast-forward wrote its sequences");

        /// <summary>Makes the decision final: the execute, complete and record phases only read it.</summary>
        internal void Seal() => _sealed = true;

        T Deciding<T>(T value)
        {
            if (_sealed) throw new InvalidOperationException("replica " + Replica + "'s decision for iteration " + Iteration + " is final once scheduled");
            return value;
        }

        void ISnapshotState.Save(SnapshotWriter writer)
        {
            if (_owedDecodes >= 0) throw Owed();
            writer.Write(_sealed);
            writer.Write(Replica);
            writer.Write(Iteration);
            writer.Write(StartS);
            writer.Write(_transferS);
            writer.Write(_sequences);
            writer.Write(_preemptedRequestIds);
            writer.Write(_swappedOutRequests);
            writer.Write(_swappedInRequests);
            writer.Write(PrefillTokens);
            writer.Write(DecodeTokens);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            _sealed = reader.Read<bool>();
            Replica = reader.Read<int>();
            Iteration = reader.Read<long>();
            StartS = reader.Read<double>();
            _transferS = reader.Read<double>();
            reader.ReadInto(_sequences);
            reader.ReadInto(_preemptedRequestIds);
            _swappedOutRequests = reader.Read<int>();
            _swappedInRequests = reader.Read<int>();
            PrefillTokens = reader.Read<int>();
            DecodeTokens = reader.Read<int>();
        }
    }
}
