using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;

namespace Sim.Core.Policies
{
    /// <summary>
    /// vLLM v1-style continuous batching: one token budget per iteration shared by every request.
    /// Running requests go first, in admission order, each asking for all its uncomputed tokens (a
    /// decode asks for one); when KV pages run out the newest running request is preempted by recompute.
    /// Then, if nothing was preempted, waiting requests are admitted first-come first-served.
    /// A request's uncomputed tokens are its prompt plus generated tokens less those in the KV cache,
    /// so chunked prefill, decode and recompute after preemption are the same rule.
    /// </summary>
    public sealed class VllmScheduler : IScheduler, IRepeatsDecodeBatches, IAdmitsAfterDecodes, IPreemptsNewestForDecodes
    {
        readonly SchedulerLimits _limits;

        public VllmScheduler(SchedulerLimits limits)
        {
            _limits = limits;
        }

        public KvReservation Reservation => KvReservation.Computed;

        /// <summary>Running requests go first, one token each, within max_batch_tokens; then admission, which must find nothing to admit.</summary>
        public bool SchedulesEveryDecode(World world, ReplicaRuntime replica)
        {
            int running = RequestQueue.Running(world, replica).Count;
            return running <= _limits.MaxBatchTokens && Admission.AdmitsNothing(world, replica, _limits.MaxBatchTokens - running, _limits);
        }

        /// <summary>Each running decode asks for one token while the budget lasts: all of them when they do not exceed it.</summary>
        public bool DecodesComeFirst(int running) => running <= _limits.MaxBatchTokens;

        /// <summary>The admission <see cref="Schedule"/> makes after the running decodes, with the budget they leave.</summary>
        public void AdmitAfterDecodes(World world, ReplicaRuntime replica, double nowS, SchedulerOutput output)
        {
            int budget = _limits.MaxBatchTokens - output.DecodeTokens;
            Admission.AdmitChunked(world, replica, nowS, output, ref budget, _limits);
        }

        public void Schedule(World world, ReplicaRuntime replica, double nowS, SchedulerOutput output)
        {
            int budget = _limits.MaxBatchTokens;
            ScheduleRunning(world, replica, output, ref budget);
            if (output.PreemptedRequestIds.Count == 0)
                Admission.AdmitChunked(world, replica, nowS, output, ref budget, _limits);
        }

        void ScheduleRunning(World world, ReplicaRuntime replica, SchedulerOutput output, ref int budget)
        {
            foreach (RequestRow row in RequestQueue.Running(world, replica))
            {
                if (budget <= 0) return;
                Entity request = row.Entity;
                int newTokens = Math.Min(row.Uncomputed, budget);
                if (!Preemption.ReserveOrPreempt(world, replica, request, row, newTokens, output)) return;
                Admission.Schedule(world, request, row, newTokens, output);
                budget -= newTokens;
            }
        }
    }
}
