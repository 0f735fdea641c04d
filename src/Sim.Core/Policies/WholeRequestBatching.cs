using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Kv;
using Sim.Core.Pipeline;

namespace Sim.Core.Policies
{
    /// <summary>
    /// Batching that admits whole prompts and reserves KV for a request's whole length (prompt plus output) at
    /// admission, as Orca and request-level batching do: no chunking and never a preemption, at the price of
    /// memory held for tokens not generated yet.
    /// </summary>
    internal static class WholeRequestBatching
    {
        /// <summary>Every running request computes its next token; its pages were reserved when it was admitted.</summary>
        public static void ScheduleRunning(World world, ReplicaRuntime replica, SchedulerOutput output, ref int budget)
        {
            foreach (RequestRow row in RequestQueue.Running(world, replica))
            {
                int newTokens = row.Uncomputed;
                Admission.Schedule(world, row.Entity, row, newTokens, output);
                budget -= newTokens;
            }
        }

        /// <summary>
        /// Admits waiting requests in the scheduler's admission order while their whole uncached prompt fits the token budget (a
        /// prompt larger than the whole budget goes alone into an otherwise empty batch) and their whole KV can be reserved.
        /// </summary>
        public static void AdmitWaiting(World world, ReplicaRuntime replica, double nowS, SchedulerOutput output, ref int budget, SchedulerLimits limits)
        {
            RequestQueue.Both(world, replica, out RequestQueue waiting, out RequestQueue running);
            while (waiting.Count > 0 && running.Count < limits.MaxNumSeqs)
            {
                limits.Order.BringNextToFront(world, waiting, nowS);
                var request = new RequestRow(world, waiting.First);
                PrefixMatch match = Admission.MatchPrefix(replica, request);
                int prompt = request.Uncomputed - match.Tokens;
                if (prompt > budget && output.Count > 0) return;
                if (!Admission.TryReserveWaiting(replica, request, match, WholeLengthTokens(request.Info), output)) return;
                Admission.AdmitFront(world, replica, nowS, prompt, output);
                budget -= prompt;
            }
        }

        /// <summary>
        /// Whether <see cref="AdmitWaiting"/> after the running requests' tokens (<paramref name="budget"/> left) admits nothing now,
        /// and keeps admitting nothing while the queue and running count stay as they are and free KV pages do not grow: nothing
        /// waits, no sequence is left, or, first-come first-served without a prefix cache, the front request's prompt is over the
        /// budget or its whole length does not fit the free pages.
        /// </summary>
        public static bool AdmitsNothing(World world, ReplicaRuntime replica, int budget, SchedulerLimits limits)
        {
            RequestQueue.Both(world, replica, out RequestQueue waiting, out RequestQueue running);
            if (waiting.Count == 0 || running.Count >= limits.MaxNumSeqs) return true;
            if (!limits.Order.KeepsQueueOrder || replica.Kv.Prefix != null || running.Count == 0) return false;
            var front = new RequestRow(world, waiting.First);
            if (front.Uncomputed > budget) return true;
            return replica.Kv.PagesFor(WholeLengthTokens(front.Info)) - front.Pages.PageCount > replica.Kv.FreePages;
        }

        /// <summary>KV tokens a request holds at its end: its prompt and every output token but the last, which is never fed back.</summary>
        public static int WholeLengthTokens(in RequestInfo info) => info.PromptTokens + info.OutputTokens - 1;
    }
}
