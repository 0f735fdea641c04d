using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;
using Sim.Core.Policies;
using Sim.Core.Scenes;

namespace Sim.Core.Systems
{
    /// <summary>
    /// Disaggregated clusters: a prefill replica's request whose batch ends with its first token (and that has more to
    /// generate) leaves for the decode pool: its pages here are freed and its KV starts crossing the link.
    /// </summary>
    public sealed class HandOffSystem : ISystem
    {
        readonly World _world;
        readonly SimClock _clock;
        readonly Cluster _cluster;
        readonly KvTransfers _transfers;

        public HandOffSystem(World world)
        {
            _world = world;
            _clock = world.GetResource<SimClock>();
            _cluster = world.GetResource<Cluster>();
            _transfers = world.GetResource<KvTransfers>();
        }

        public Phase Phase => Phase.Complete;

        public void Update()
        {
            foreach (Chunk chunk in _world.GetChunks(in ReplicaQuery.All))
            {
                Span<ReplicaInfo> replicas = chunk.GetSpan<ReplicaInfo>();
                for (int i = 0; i < replicas.Length; i++)
                    if (replicas[i].Role == ReplicaRole.Prefill && replicas[i].State == ReplicaState.Executing && replicas[i].BusyUntilS == _clock.NowS)
                        HandOff(_cluster.Replicas[replicas[i].Index]);
            }
        }

        void HandOff(ReplicaRuntime replica)
        {
            double nowS = _clock.NowS;
            SchedulerOutput decision = replica.InFlight;
            IterationOutcome outcome = replica.Outcome;
            for (int slot = 0; slot < decision.Count; slot++)
            {
                ScheduledSequence sequence = decision[slot];
                var row = new RequestRow(_world, sequence.Request);
                ref RequestInfo info = ref row.Info;
                ref RequestProgress progress = ref row.Progress;
                int computed = progress.ComputedTokens + sequence.NewTokens;
                bool firstToken = progress.GeneratedTokens == 0 && computed >= info.PromptTokens;
                if (!firstToken || info.OutputTokens <= 1) continue;
                replica.Kv.Release(ref row.Pages, nowS);
                progress.Phase = RequestPhase.InTransit;
                double transferS = _transfers.TransferS(computed);
                _transfers.Start(sequence.Request, info.Id, nowS + transferS);
                outcome.HandOffs++;
                outcome.HandOffS = Math.Max(outcome.HandOffS, transferS);
            }
        }
    }
}
