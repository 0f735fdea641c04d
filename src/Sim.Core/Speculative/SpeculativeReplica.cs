using System;
using System.Collections.Generic;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Kv;
using Sim.Core.PerfModel;
using Sim.Core.Policies;
using Sim.Core.Scenes;
using Sim.Core.Snapshots;

namespace Sim.Core.Speculative
{
    /// <summary>
    /// One replica's speculative decoding. Before a batch is timed, each decoding sequence drafts its tokens: their
    /// KV pages are reserved past the one plain token (a sequence whose pages do not fit decodes plainly this step,
    /// so batches mix speculative and plain sequences), the drafter runs its steps and the target verifies
    /// draft + 1 positions in the one batch. When the batch ends, each sequence's accepted drafts are drawn position
    /// by position from the replica's seeded stream and the pages of rejected drafts are freed.
    /// </summary>
    public sealed class SpeculativeReplica : ISnapshotState
    {

        readonly SpeculativeDecoding _settings;
        readonly IPerfModel? _draftPerfModel;
        readonly DeterministicRng _rng;
        int[] _drafted;
        SequenceWork[] _draftWork;

        /// <param name="draftPerfModel">Times the draft model's steps on this replica; null for the free n-gram drafter.</param>
        public SpeculativeReplica(SpeculativeDecoding settings, IPerfModel? draftPerfModel, ulong seed, int replica, int maxNumSeqs)
        {
            _settings = settings;
            _draftPerfModel = draftPerfModel;
            _rng = DeterministicRng.ForStream(seed, "speculative/" + replica);
            _drafted = new int[maxNumSeqs];
            _draftWork = new SequenceWork[maxNumSeqs];
        }

        public SpeculativeStats Stats { get; } = new SpeculativeStats();

        /// <summary>The draw stream, the drafts of the batch in flight (accepted as it completes) and the totals.</summary>
        void ISnapshotState.Save(SnapshotWriter writer)
        {
            ((ISnapshotState)_rng).Save(writer);
            writer.Write(_drafted);
            ((ISnapshotState)Stats).Save(writer);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            ((ISnapshotState)_rng).Load(reader);
            reader.ReadInto(_drafted);
            ((ISnapshotState)Stats).Load(reader);
        }

        /// <summary>
        /// Drafts for the batch's decoding sequences, widening their entries of <paramref name="work"/> to the verified
        /// positions; returns the drafter's time (its steps run one after another, each over the sequences still drafting).
        /// </summary>
        public double Draft(World world, KvBlockPool kv, SchedulerOutput output, SequenceWork[] work)
        {
            int longest = 0;
            for (int i = 0; i < output.Count; i++)
            {
                ScheduledSequence sequence = output[i];
                _drafted[i] = 0;
                if (sequence.IsPrefill || sequence.NewTokens != 1) continue;
                ref RequestInfo info = ref world.Get<RequestInfo>(sequence.Request);
                ref RequestProgress progress = ref world.Get<RequestProgress>(sequence.Request);
                // Drafts past the last output token would be wasted: the step's own token may be the last.
                int draft = Math.Min(_settings.DraftLength(), info.OutputTokens - progress.GeneratedTokens - 1);
                if (draft <= 0 || !kv.TryReserve(ref world.Get<KvPageTable>(sequence.Request), sequence.ContextTokens + 1 + draft)) continue;
                _drafted[i] = draft;
                work[i] = new SequenceWork(1 + draft, sequence.ContextTokens);
                longest = Math.Max(longest, draft);
            }
            double draftS = 0;
            if (_draftPerfModel != null)
            {
                for (int step = 0; step < longest; step++)
                {
                    int count = 0;
                    for (int i = 0; i < output.Count; i++)
                        if (_drafted[i] > step) _draftWork[count++] = new SequenceWork(1, output[i].ContextTokens + step);
                    draftS += _draftPerfModel.IterationTimeS(new ReadOnlySpan<SequenceWork>(_draftWork, 0, count));
                }
            }
            Stats.DraftS += draftS;
            return draftS;
        }

        /// <summary>Records a timed batch: its target pass counts as verifying when some sequence drafted.</summary>
        public void Verified(SchedulerOutput output, double verifyS, double draftS)
        {
            Stats.BusyS += verifyS + draftS;
            for (int i = 0; i < output.Count; i++)
            {
                if (_drafted[i] == 0) continue;
                Stats.VerifyS += verifyS;
                return;
            }
        }

        /// <summary>
        /// The drafts of batch slot <paramref name="slot"/> the target accepts: the leading ones, each accepted with its
        /// position's probability; frees the pages reserved for the rejected ones.
        /// </summary>
        public int Accept(int slot, KvBlockPool kv, ref KvPageTable table, int computedTokens)
        {
            int drafted = _drafted[slot];
            if (drafted == 0) return 0;
            int accepted = 0;
            while (accepted < drafted && _rng.NextDouble() < _settings.AcceptanceAt(accepted)) accepted++;
            kv.ShrinkTo(ref table, computedTokens + accepted);
            Stats.VerifySteps++;
            Stats.DraftedTokens += drafted;
            Stats.AcceptedTokens += accepted;
            return accepted;
        }
    }
}
