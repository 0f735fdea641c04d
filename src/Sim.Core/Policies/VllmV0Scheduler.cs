using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;

namespace Sim.Core.Policies
{
    /// <summary>
    /// vLLM v0's default scheduler without chunked prefill (vllm/core/scheduler.py, <c>_schedule_default</c>), as
    /// Vidur's <c>vllm</c> replica scheduler replays it. Each iteration is either all prompts or all decodes:
    /// <list type="number">
    /// <item>Prefill iteration: waiting requests are admitted in admission order with their whole prompt (a recomputed
    /// request with its prompt and generated tokens) while the batch's padded size, requests × longest prompt (vLLM's
    /// accounting up to 0.3, and Vidur's), stays within <c>max_batch_tokens</c>, the running requests stay within
    /// <c>max_num_seqs</c>, and the prompt's KV pages leave the watermark free. If any was admitted, the iteration
    /// carries no decodes.</item>
    /// <item>Otherwise a decode iteration: every running request, earliest arrival first, takes one token. Each needs
    /// a free page (v0's block manager asks one free block per sequence, <c>can_append_slots</c>); when none is left
    /// the latest-arriving running request not yet scheduled is preempted by recompute, and it rejoins the front of
    /// the queue (the request itself when it is that one). A request running alone needs only the pages it reserves.</item>
    /// </list>
    /// A prompt larger than <c>max_batch_tokens</c>, which vLLM v0 refuses, runs alone in chunks of the budget here.
    /// </summary>
    public sealed class VllmV0Scheduler : IScheduler, IRepeatsDecodeBatches
    {
        readonly SchedulerLimits _limits;

        public VllmV0Scheduler(SchedulerLimits limits)
        {
            _limits = limits;
        }

        public KvReservation Reservation => KvReservation.Computed;

        /// <summary>Decodes in running order once that is arrival order, each needing a free page; no prompt may be admitted.</summary>
        public bool SchedulesEveryDecode(World world, ReplicaRuntime replica) => RequestQueue.Running(world, replica).InArrivalOrder() && AdmitsNoPrompt(world, replica);

        public bool EachDecodeNeedsAFreePage => true;

        /// <summary>
        /// Whether <see cref="AdmitPrompts"/> admits nothing now and keeps admitting nothing while the queue and the running
        /// count stay as they are and free pages do not grow: nothing waits, no sequence slot is left, or, first-come
        /// first-served without a prefix cache, the front prompt's pages do not fit above the watermark.
        /// </summary>
        bool AdmitsNoPrompt(World world, ReplicaRuntime replica)
        {
            RequestQueue.Both(world, replica, out RequestQueue waiting, out RequestQueue running);
            if (waiting.Count == 0 || running.Count >= _limits.MaxNumSeqs) return true;
            if (!_limits.Order.KeepsQueueOrder || replica.Kv.Prefix != null) return false;
            var front = new RequestRow(world, waiting.First);
            int newTokens = Math.Min(front.Uncomputed, _limits.MaxBatchTokens);
            return !replica.Kv.Fits(front.Pages, front.Progress.ComputedTokens + newTokens, default);
        }

        public void Schedule(World world, ReplicaRuntime replica, double nowS, SchedulerOutput output)
        {
            if (!AdmitPrompts(world, replica, nowS, output)) ScheduleDecodes(world, replica, output);
        }

        /// <summary>The prefill iteration; false when no prompt was admitted.</summary>
        bool AdmitPrompts(World world, ReplicaRuntime replica, double nowS, SchedulerOutput output)
        {
            int admitted = 0, longest = 0;
            RequestQueue.Both(world, replica, out RequestQueue waiting, out RequestQueue running);
            while (waiting.Count > 0 && running.Count < _limits.MaxNumSeqs)
            {
                _limits.Order.BringNextToFront(world, waiting, nowS);
                var request = new RequestRow(world, waiting.First);
                var match = Admission.MatchPrefix(replica, request);
                int newTokens = request.Uncomputed - match.Tokens;
                if (newTokens > _limits.MaxBatchTokens)
                {
                    if (admitted > 0) break;
                    newTokens = _limits.MaxBatchTokens;
                }
                int padded = (admitted + 1) * Math.Max(longest, newTokens);
                if (padded > _limits.MaxBatchTokens) break;
                int computed = request.Progress.ComputedTokens;
                if (!Admission.TryReserveWaiting(replica, request, match, computed + match.Tokens + newTokens, output)) break;
                Admission.AdmitFront(world, replica, nowS, newTokens, output);
                admitted++;
                longest = Math.Max(longest, newTokens);
            }
            return admitted > 0;
        }

        /// <summary>The decode iteration (a prompt admitted in part goes on with its next chunk).</summary>
        void ScheduleDecodes(World world, ReplicaRuntime replica, SchedulerOutput output)
        {
            RequestQueue running = RequestQueue.Running(world, replica);
            if (!running.InArrivalOrder()) SortByArrival(world, running);
            foreach (RequestRow row in running)
            {
                Entity request = row.Entity;
                int newTokens = Math.Min(row.Uncomputed, _limits.MaxBatchTokens);
                // Alone, a request holding every page would preempt itself for ever; it needs only what it reserves.
                while ((replica.Kv.FreePages < 1 && running.Count > 1) || !Admission.TryReserveNext(replica, row, newTokens))
                    if (Preemption.PreemptNewest(world, replica, output) == request) return;
                Admission.Schedule(world, request, row, newTokens, output);
            }
        }

        /// <summary>Orders running requests by arrival (ties by id), as vLLM's FCFS policy and Vidur sort them; nearly sorted already, so by insertion.</summary>
        static void SortByArrival(World world, RequestQueue running)
        {
            Entity moving = running.First.IsNull ? Entity.Null : running.After(running.First);
            while (!moving.IsNull)
            {
                var row = new RequestRow(world, moving);
                Entity next = row.Link.Next;
                ref RequestInfo info = ref row.Info;
                double arrivalS = info.ArrivalS;
                long id = info.Id;
                Entity ahead = row.Link.Previous;
                if (new RequestRow(world, ahead).Info.ArrivedAfter(arrivalS, id))
                {
                    do ahead = running.Before(ahead);
                    while (!ahead.IsNull && new RequestRow(world, ahead).Info.ArrivedAfter(arrivalS, id));
                    running.Remove(moving);
                    running.InsertAfter(ahead, moving);
                }
                moving = next;
            }
        }
    }
}
