using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Metrics;
using Sim.Core.Pipeline;
using Sim.Core.Policies;
using Sim.Core.Tokens;

namespace Sim.Core.Systems
{
    /// <summary>
    /// Applies every batch that ends now: its sequences' computed tokens count (with speculative decoding, the drafts
    /// the target accepts too), a request whose computed tokens reach its known tokens emits one output token, and a
    /// request with all its output tokens finishes, frees its pages, leaves the running queue and is destroyed.
    /// </summary>
    public sealed class CompleteSystem : ReplicaSystem
    {
        readonly RequestLog _log;
        readonly CommandBuffer _finished = new CommandBuffer();
        readonly TokenStore? _tokens;

        public CompleteSystem(World world) : base(world)
        {
            _log = world.GetResource<RequestLog>();
            world.TryGetResource(out _tokens);
            foreach (ReplicaRuntime replica in Cluster.Replicas) _prefixHits |= replica.Kv.Prefix != null;
        }

        // Whether a replica reuses cached prompt blocks: only then may a request's PrefixState hold hits (a disaggregated request
        // finishes on a decode replica with the hits of its prefill replica). Else a finish leaves that row, cold since the
        // request arrived, unread: its record's hit counts stay the zeros they opened with.
        readonly bool _prefixHits;

        public override Phase Phase => Phase.Complete;

        public override void Update()
        {
            base.Update();
            DestroyFinished();
        }

        /// <summary>Destroys the requests finished since the last call: only once every completion of the step is done, as the visits still read the finished requests' components.</summary>
        internal void DestroyFinished()
        {
            // Most steps finish no request: the empty buffer's check is made here, inline, not in a call of Playback.
            if (_finished.Count != 0) _finished.Playback(World);
        }

        protected override void Visit(ReplicaRuntime replica, ref ReplicaInfo info)
        {
            if (!EndsNow(info)) return;
            SchedulerOutput decision = replica.InFlight;
            for (int slot = 0; slot < decision.Count; slot++)
                Advance(replica, decision[slot], slot);
            info.Iterations++;
            info.State = ReplicaState.Completed;
        }

        void Advance(ReplicaRuntime replica, in ScheduledSequence sequence, int slot)
        {
            Entity request = sequence.Request;
            var row = new RequestRow(World, request);
            ref RequestInfo info = ref row.Info;
            ref RequestProgress progress = ref row.Progress;
            progress.ComputedTokens += sequence.NewTokens;
            // Accepted drafts: their KV was computed by the verifying pass, and each is one more output token.
            int accepted = replica.Speculative?.Accept(slot, replica.Kv, ref row.Pages, progress.ComputedTokens) ?? 0;
            progress.ComputedTokens += accepted;
            if (progress.ComputedTokens < info.PromptTokens + progress.GeneratedTokens) return;

            double nowS = Clock.NowS;
            ref RequestTimes times = ref row.Times;
            int emitted = 1 + accepted;
            progress.GeneratedTokens += emitted;
            _log.EmittedTokens += emitted;
            if (progress.GeneratedTokens == 1)
            {
                times.FirstTokenS = nowS;
            }
            else
            {
                // A verify step's tokens arrive together; each gets an equal share of the wait (time per output token).
                double gapS = (nowS - times.LastTokenS) / emitted;
                LogHistogram gaps = _log.TokenGapsOf(replica.Index);
                for (int t = 0; t < emitted; t++) gaps.Add(gapS);
                times.MaxTbtS = Math.Max(times.MaxTbtS, gapS);
            }
            times.LastTokenS = nowS;
            if (progress.GeneratedTokens < info.OutputTokens) return;
            Finish(replica, request, row, nowS);
        }

        /// <summary>
        /// The request's last token is out: its pages are freed, it leaves the running queue, and its record is written (its
        /// destruction waits for <see cref="DestroyFinished"/>). The fast-forward's lanes finish their requests here too.
        /// </summary>
        internal void Finish(ReplicaRuntime replica, Entity request, in RequestRow row, double nowS)
        {
            ref RequestInfo info = ref row.Info;
            ref RequestProgress progress = ref row.Progress;
            ref RequestTimes times = ref row.Times;
            replica.Kv.Release(ref row.Pages, nowS);
            if (progress.TokenSlot >= 0) _tokens!.Close(progress.TokenSlot);
            progress.Phase = RequestPhase.Finished;
            RequestQueue.Running(World, replica).Remove(request);
            ref RequestRecord record = ref _log[info.Id];
            record.FirstScheduledS = times.FirstScheduledS;
            record.FirstTokenS = times.FirstTokenS;
            record.FinishS = nowS;
            record.MaxTbtS = times.MaxTbtS;
            record.Preemptions = progress.Preemptions;
            if (_prefixHits)
            {
                ref PrefixState hits = ref row.Prefix;
                record.PrefixHitTokens = hits.HitTokens;
                record.HostHitTokens = hits.HostHitTokens;
                record.SsdHitTokens = hits.SsdHitTokens;
            }
            _log.End(info.Id, RequestOutcome.Completed);
            _finished.Destroy(request);
        }
    }
}
