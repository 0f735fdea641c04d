using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Experts;
using Sim.Core.Pipeline;

namespace Sim.Core.Systems
{
    /// <summary>
    /// MoE mode: routes a sample of each new batch's tokens through the gate and adds to its forward pass what the
    /// experts cost beyond the perf model's even spread (the busiest expert, the all-to-all) and the waits for experts
    /// loaded into HBM (<see cref="Experts.MoeReplica"/>). Two passes over the replicas scheduled now: the first plans
    /// every one's sampled logits, so that the gate is one step over all of them (<see cref="StepGate"/>); the second
    /// applies each replica's share in replica order.
    /// </summary>
    public sealed class MoeCostSystem : ReplicaSystem
    {
        readonly StepGate _gate;
        bool _applying;

        public MoeCostSystem(World world) : base(world)
        {
            _gate = world.GetResource<StepGate>();
        }

        public override Phase Phase => Phase.Execute;

        public override void Update()
        {
            _applying = false;
            base.Update();
            _gate.Run();
            _applying = true;
            base.Update();
            _gate.End();
        }

        protected override void Visit(ReplicaRuntime replica, ref ReplicaInfo info)
        {
            if (info.State != ReplicaState.Scheduled || replica.Moe == null) return;
            if (!_applying)
            {
                replica.Moe.PlanGate(replica.InFlight, _gate);
                return;
            }
            IterationOutcome outcome = replica.Outcome;
            outcome.ComputeS += replica.Moe.ApplyGate(_gate, outcome.ComputeS, out double expertLoadS);
            outcome.ExpertLoadS = expertLoadS;
        }
    }
}
