using System;
using System.Collections.Generic;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Metrics;
using Sim.Core.Pipeline;
using Sim.Core.Policies;
using Sim.Core.Scenes;
using Sim.Core.Tokens;

namespace Sim.Core.Systems
{
    /// <summary>
    /// Applies every batch that ends now: computed tokens enter the KV cache (and whole prompt blocks the
    /// prefix cache's index), a request whose computed
    /// tokens reach its known tokens emits one output token, and a request with all its output tokens
    /// finishes, frees its pages and is destroyed.
    /// </summary>
    public sealed class CompleteSystem : ISystem
    {
        readonly World _world;
        readonly SimClock _clock;
        readonly Cluster _cluster;
        readonly RequestLog _log;
        readonly CommandBuffer _finished = new CommandBuffer();
        readonly KvTransfers? _transfers;
        readonly TokenStore? _tokens;

        public CompleteSystem(World world)
        {
            _world = world;
            _clock = world.GetResource<SimClock>();
            _cluster = world.GetResource<Cluster>();
            _log = world.GetResource<RequestLog>();
            world.TryGetResource(out _transfers);
            world.TryGetResource(out _tokens);
        }

        public Phase Phase => Phase.Complete;

        public void Update()
        {
            foreach (ReplicaRuntime replica in _cluster.Replicas)
            {
                ref ReplicaInfo info = ref _world.Get<ReplicaInfo>(replica.Entity);
                if (info.State != ReplicaState.Executing || info.BusyUntilS != _clock.NowS) continue;
                List<ScheduledSequence> sequences = replica.InFlight.Sequences;
                for (int i = 0; i < sequences.Count; i++)
                    Advance(replica, sequences[i], i);
                RemoveLeavers(replica.Running);
                info.Iterations++;
                info.State = ReplicaState.Completed;
            }
            // Destroyed only now: the loops above still read the finished requests' components.
            _finished.Playback(_world);
        }

        void Advance(ReplicaRuntime replica, in ScheduledSequence sequence, int slot)
        {
            Entity request = sequence.Request;
            ref RequestInfo info = ref _world.Get<RequestInfo>(request);
            ref RequestProgress progress = ref _world.Get<RequestProgress>(request);
            progress.ComputedTokens += sequence.NewTokens;
            // Accepted drafts: their KV was computed by the verifying pass, and each is one more output token.
            int accepted = replica.Speculative?.Accept(slot, replica.Kv, ref _world.Get<KvPageTable>(request), progress.ComputedTokens) ?? 0;
            progress.ComputedTokens += accepted;
            if (replica.Kv.Prefix != null && info.HashIds != null)
            {
                ref PrefixState prefix = ref _world.Get<PrefixState>(request);
                replica.Kv.Prefix.RegisterComputed(_world.Get<KvPageTable>(request), info.HashIds, info.PromptTokens, progress.ComputedTokens,
                    ref prefix.CachedBlocks, ref prefix.LastCachedKey, _clock.NowS);
            }
            if (progress.ComputedTokens < info.PromptTokens + progress.GeneratedTokens) return;

            double nowS = _clock.NowS;
            ref RequestTimes times = ref _world.Get<RequestTimes>(request);
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
                for (int t = 0; t < emitted; t++) _log.TokenGapsS.Add(gapS);
                times.MaxTbtS = Math.Max(times.MaxTbtS, gapS);
            }
            times.LastTokenS = nowS;
            if (progress.GeneratedTokens < info.OutputTokens)
            {
                if (replica.Role == ReplicaRole.Prefill) HandOff(replica, request, info.Id, ref progress, nowS);
                return;
            }

            replica.Kv.Release(ref _world.Get<KvPageTable>(request), nowS);
            if (progress.TokenSlot >= 0) _tokens!.Close(progress.TokenSlot);
            progress.Phase = RequestPhase.Finished;
            ref RequestRecord record = ref _log[info.Id];
            record.FirstScheduledS = times.FirstScheduledS;
            record.FirstTokenS = times.FirstTokenS;
            record.FinishS = nowS;
            record.MaxTbtS = times.MaxTbtS;
            record.Preemptions = progress.Preemptions;
            ref PrefixState hits = ref _world.Get<PrefixState>(request);
            record.PrefixHitTokens = hits.HitTokens;
            record.HostHitTokens = hits.HostHitTokens;
            record.SsdHitTokens = hits.SsdHitTokens;
            _log.End(info.Id, RequestOutcome.Completed);
            _finished.Destroy(request);
        }

        /// <summary>A prefill replica's request has its first token: its KV leaves for the decode pool and its pages here are freed.</summary>
        void HandOff(ReplicaRuntime replica, Entity request, long requestId, ref RequestProgress progress, double nowS)
        {
            replica.Kv.Release(ref _world.Get<KvPageTable>(request), nowS);
            progress.Phase = RequestPhase.InTransit;
            double transferS = _transfers!.TransferS(progress.ComputedTokens);
            _transfers.Start(request, requestId, nowS + transferS);
            SchedulerOutput iteration = replica.InFlight;
            iteration.HandOffs++;
            iteration.HandOffS = Math.Max(iteration.HandOffS, transferS);
        }

        /// <summary>Drops finished and handed-off requests from the running list, keeping the others in order.</summary>
        void RemoveLeavers(List<Entity> running)
        {
            int kept = 0;
            for (int i = 0; i < running.Count; i++)
            {
                Entity request = running[i];
                if (_world.Get<RequestProgress>(request).Phase == RequestPhase.Running) running[kept++] = request;
            }
            running.RemoveRange(kept, running.Count - kept);
        }
    }
}
