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
    public sealed class MoeCostSystem : ReplicaSystem
    {
        public MoeCostSystem(World world) : base(world)
        {
        }

        public override Phase Phase => Phase.Execute;

        protected override void Visit(ReplicaRuntime replica, ref ReplicaInfo info)
        {
            if (info.State != ReplicaState.Scheduled || replica.Moe == null) return;
            IterationOutcome outcome = replica.Outcome;
            outcome.ComputeS += replica.Moe.IterationExtraS(replica.InFlight, outcome.ComputeS, out double expertLoadS);
            outcome.ExpertLoadS = expertLoadS;
        }
    }
}
