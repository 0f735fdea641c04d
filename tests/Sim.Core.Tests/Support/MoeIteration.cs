using Sim.Core.Compute;
using Sim.Core.Experts;
using Sim.Core.Policies;

namespace Sim.Core.Tests.Support
{
    /// <summary>One replica's MoE iteration as the simulation runs it: planned on a gate of its own, the gate stepped, then applied.</summary>
    static class MoeIteration
    {
        public static double IterationExtraS(this MoeReplica moe, SchedulerOutput batch, double baseS, out double expertLoadS)
        {
            using var gate = new StepGate(new CpuResidentKernels(), moe.GateTokensPerStep, moe.GateSegmentsPerStep, moe.Experts, moe.TopK, moe.ReadsGateChoices);
            moe.PlanGate(batch, gate);
            gate.Run();
            return moe.ApplyGate(gate, baseS, out expertLoadS);
        }
    }
}
