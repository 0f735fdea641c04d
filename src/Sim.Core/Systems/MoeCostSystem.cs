using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;

namespace Sim.Core.Systems
{
    /// <summary>
    /// MoE mode: routes a sample of each new batch's tokens through the gate and adds to its forward pass what the
    /// experts cost beyond the perf model's even spread (the busiest expert, the all-to-all) and the waits for experts
    /// loaded into HBM (<see cref="Experts.MoeReplica"/>).
    /// </summary>
    public sealed class MoeCostSystem : ISystem
    {
        readonly World _world;
        readonly Cluster _cluster;

        public MoeCostSystem(World world)
        {
            _world = world;
            _cluster = world.GetResource<Cluster>();
        }

        public Phase Phase => Phase.Execute;

        public void Update()
        {
            foreach (Chunk chunk in _world.GetChunks(in ReplicaQuery.All))
            {
                Span<ReplicaInfo> replicas = chunk.GetSpan<ReplicaInfo>();
                for (int i = 0; i < replicas.Length; i++)
                {
                    if (replicas[i].State != ReplicaState.Scheduled) continue;
                    ReplicaRuntime replica = _cluster.Replicas[replicas[i].Index];
                    if (replica.Moe == null) continue;
                    IterationOutcome outcome = replica.Outcome;
                    outcome.ComputeS += replica.Moe.IterationExtraS(replica.InFlight, outcome.ComputeS, out double expertLoadS);
                    outcome.ExpertLoadS = expertLoadS;
                }
            }
        }
    }
}
