using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;

namespace Sim.Core.Policies
{
    /// <summary>
    /// Sarathi-Serve (OSDI'24) stall-free batching: each iteration first takes every running decode, then fills
    /// the rest of a small token budget (<c>chunk_tokens</c>) with prompt chunks, of running requests first and
    /// then of new ones. Long prompts are spread over many short iterations, so decodes are never held up by
    /// a long prefill. As in Sarathi-Serve's implementation (on vLLM v0's block manager) and Vidur's <c>sarathi</c>
    /// replica scheduler, a new request's KV pages are reserved for its whole prompt when it is admitted (leaving the
    /// watermark free), so its later chunks never wait for pages. Decodes that find no KV page preempt the newest
    /// running request by recompute.
    /// </summary>
    public sealed class SarathiScheduler : IScheduler, IRepeatsDecodeBatches
    {
        readonly SchedulerLimits _limits;

        public SarathiScheduler(SchedulerLimits limits)
        {
            _limits = limits;
        }

        public KvReservation Reservation => KvReservation.WholePrompt;

        /// <summary>Decodes go first, within the chunk budget; no running prompt is left, and admission must find nothing to admit.</summary>
        public bool SchedulesEveryDecode(World world, ReplicaRuntime replica)
        {
            int budget = Math.Min(_limits.MaxBatchTokens, _limits.ChunkTokens);
            int running = RequestQueue.Running(world, replica).Count;
            return running <= budget && Admission.AdmitsNothing(world, replica, budget - running, _limits);
        }

        public void Schedule(World world, ReplicaRuntime replica, double nowS, SchedulerOutput output)
        {
            int budget = Math.Min(_limits.MaxBatchTokens, _limits.ChunkTokens);
            ScheduleDecodes(world, replica, output, ref budget);
            ScheduleRunningPrefills(world, replica, output, ref budget);
            if (output.PreemptedRequestIds.Count == 0)
                Admission.AdmitChunked(world, replica, nowS, output, ref budget, _limits, wholePrompt: true);
        }

        static void ScheduleDecodes(World world, ReplicaRuntime replica, SchedulerOutput output, ref int budget)
        {
            foreach (RequestRow row in RequestQueue.Running(world, replica))
            {
                if (budget <= 0) return;
                if (row.Uncomputed != 1) continue;
                Entity request = row.Entity;
                if (!Preemption.ReserveOrPreempt(world, replica, request, row, 1, output)) return;
                Admission.Schedule(world, request, row, 1, output);
                budget--;
            }
        }

        static void ScheduleRunningPrefills(World world, ReplicaRuntime replica, SchedulerOutput output, ref int budget)
        {
            foreach (RequestRow row in RequestQueue.Running(world, replica))
            {
                if (budget <= 0) return;
                int uncomputed = row.Uncomputed;
                if (uncomputed == 1) continue;
                Entity request = row.Entity;
                int newTokens = Math.Min(uncomputed, budget);
                if (!Admission.TryReserveNext(replica, row, newTokens)) return;
                Admission.Schedule(world, request, row, newTokens, output);
                budget -= newTokens;
            }
        }
    }
}
