using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Kv;
using Sim.Core.Pipeline;
using Sim.Core.Tokens;

namespace Sim.Core.Policies
{
    /// <summary>The steps every scheduling policy shares: putting a request in the batch, and admitting the front of the queue.</summary>
    public static class Admission
    {
        /// <summary>Reserves KV pages for the request's computed tokens plus <paramref name="newTokens"/>, all or nothing.</summary>
        public static bool TryReserveNext(ReplicaRuntime replica, in RequestRow request, int newTokens) =>
            replica.Kv.TryReserve(ref request.Pages, request.Progress.ComputedTokens + newTokens);

        /// <summary>The leading prompt blocks of a waiting request that its replica's prefix cache holds; none without a cache or hashes.</summary>
        public static PrefixMatch MatchPrefix(ReplicaRuntime replica, in RequestRow request)
        {
            PrefixCache? cache = replica.Kv.Prefix;
            ref RequestInfo info = ref request.Info;
            if (cache == null || info.HashIds == null || request.Progress.ComputedTokens != 0) return default;
            return cache.Match(info.HashIds, info.PromptTokens);
        }

        /// <summary>
        /// Reserves KV for a waiting request: the cached blocks of <paramref name="match"/> are reused (their tokens count
        /// as computed, lower-tier copies add to the iteration's transfer time), a swapped-out request's KV is copied
        /// back, and pages for the rest, up to <paramref name="tokens"/>, are taken; all or nothing.
        /// </summary>
        public static bool TryReserveWaiting(ReplicaRuntime replica, in RequestRow request, in PrefixMatch match, int tokens, SchedulerOutput output)
        {
            if (!replica.Kv.TryReserve(ref request.Pages, tokens, match, request.Info.HashIds, output.StartS, out ulong lastReusedKey)) return false;
            ref RequestProgress progress = ref request.Progress;
            if (progress.KvSwappedOut)
            {
                // Its KV comes back from host memory before this iteration runs. (A request handed over from a prefill
                // replica also waits with computed tokens, but its KV has already arrived.)
                replica.Swap!.Give(progress.ComputedTokens);
                output.TransferS += replica.Swap.TransferS(progress.ComputedTokens);
                output.SwappedInRequests++;
                progress.KvSwappedOut = false;
            }
            if (match.Blocks == 0) return true;
            progress.ComputedTokens = match.Tokens;
            output.TransferS += match.TransferS;
            ref PrefixState prefix = ref request.Prefix;
            prefix.CachedBlocks = match.Blocks;
            prefix.LastCachedKey = lastReusedKey;
            if (double.IsNaN(request.Times.FirstScheduledS))
            {
                prefix.HitTokens = match.Tokens;
                prefix.HostHitTokens = match.HostBlocks * PrefixKeys.HashBlockTokens;
                prefix.SsdHitTokens = match.SsdBlocks * PrefixKeys.HashBlockTokens;
            }
            return true;
        }

        /// <summary>Puts <paramref name="newTokens"/> of <paramref name="request"/> into this iteration's batch.</summary>
        public static void Schedule(World world, Entity request, in RequestRow row, int newTokens, SchedulerOutput output)
        {
            ref RequestInfo info = ref row.Info;
            ref RequestProgress progress = ref row.Progress;
            int computed = progress.ComputedTokens;
            // A decode computes exactly the last generated token; anything else fills or recomputes the prompt.
            bool isPrefill = !(newTokens == 1 && computed >= info.PromptTokens);
            // Attention reads the tokens still resident: all computed ones unless token-level compression evicted some,
            // and again the keys where the policy must compute attention weights to score them.
            int context = computed - progress.EvictedTokens;
            if (world.TryGetResource(out TokenStore? tokens)) context = tokens!.ContextWithScoring(context, isPrefill);
            output.Add(new ScheduledSequence
            {
                Request = request,
                RequestId = info.Id,
                NewTokens = newTokens,
                ContextTokens = context,
                IsPrefill = isPrefill,
            });
        }

        /// <summary>
        /// Admits waiting requests in the scheduler's admission order while budget, <c>max_num_seqs</c> and KV pages allow; a prompt
        /// larger than the remaining budget is chunked to it (or, without chunked prefill, waits for a later iteration).
        /// Prompt pages found in the prefix cache are reused rather than computed. Pages are reserved for the tokens computed
        /// this iteration, or with <paramref name="wholePrompt"/> for all of the prompt at once (vLLM v0's block manager).
        /// </summary>
        public static void AdmitChunked(World world, ReplicaRuntime replica, double nowS, SchedulerOutput output, ref int budget, SchedulerLimits limits, bool wholePrompt = false)
        {
            RequestQueue.Both(world, replica, out RequestQueue waiting, out RequestQueue running);
            while (waiting.Count > 0 && budget > 0 && running.Count < limits.MaxNumSeqs)
            {
                limits.Order.BringNextToFront(world, waiting, nowS);
                var request = new RequestRow(world, waiting.First);
                PrefixMatch match = MatchPrefix(replica, request);
                int promptTokens = request.Uncomputed - match.Tokens;
                int newTokens = promptTokens;
                if (newTokens > budget)
                {
                    if (!limits.ChunkedPrefill) return;
                    newTokens = budget;
                }
                int computed = request.Progress.ComputedTokens;
                if (!TryReserveWaiting(replica, request, match, computed + match.Tokens + (wholePrompt ? promptTokens : newTokens), output)) return;
                AdmitFront(world, replica, nowS, newTokens, output);
                budget -= newTokens;
            }
        }

        /// <summary>
        /// Whether <see cref="AdmitChunked"/> with <paramref name="budget"/> tokens left admits nothing now, and keeps admitting
        /// nothing while the waiting queue, the running count and the budget stay as they are and free KV pages do not grow
        /// (what <see cref="IRepeatsDecodeBatches"/> needs): nothing waits, no sequence or token is left, or, first-come
        /// first-served without a prefix cache, the front request's next chunk does not fit the free pages.
        /// </summary>
        public static bool AdmitsNothing(World world, ReplicaRuntime replica, int budget, SchedulerLimits limits)
        {
            RequestQueue.Both(world, replica, out RequestQueue waiting, out RequestQueue running);
            if (waiting.Count == 0 || budget <= 0 || running.Count >= limits.MaxNumSeqs) return true;
            if (!limits.Order.KeepsQueueOrder || replica.Kv.Prefix != null) return false;
            var front = new RequestRow(world, waiting.First);
            int newTokens = front.Uncomputed;
            if (newTokens > budget)
            {
                if (!limits.ChunkedPrefill) return true;
                newTokens = budget;
            }
            return replica.Kv.PagesFor(front.Progress.ComputedTokens + newTokens) - front.Pages.PageCount > replica.Kv.FreePages;
        }

        /// <summary>
        /// Brings in, while this admission goes on, the rows the next admission reads of the waiting queue's new front (located
        /// just now, as its link changed) and the entity record of the request behind it: a waiting request's row is cold, and
        /// each of its columns is a separate array, loaded one after another when read in turn.
        /// </summary>
        static void FetchFront(World world, RequestQueue waiting)
        {
            if (waiting.Count == 0) return;
            Chunk chunk = world.Locate(waiting.First, out int row);
            CacheHint.Fetch(chunk.Column<RequestInfo>(), row);
            CacheHint.Fetch(chunk.Column<RequestProgress>(), row);
            CacheHint.Fetch(chunk.Column<KvPageTable>(), row);
            CacheHint.Fetch(chunk.Column<RequestTimes>(), row);
            world.FetchRecord(chunk.Column<QueueLink>()[row].Next);
        }

        /// <summary>Moves the front waiting request (whose KV pages are already reserved) into the running batch.</summary>
        public static void AdmitFront(World world, ReplicaRuntime replica, double nowS, int newTokens, SchedulerOutput output)
        {
            RequestQueue.Both(world, replica, out RequestQueue waiting, out RequestQueue running);
            Entity request = waiting.PopFront();
            FetchFront(world, waiting);
            running.PushBack(request);
            var row = new RequestRow(world, request);
            row.Progress.Phase = RequestPhase.Running;
            ref RequestTimes times = ref row.Times;
            if (double.IsNaN(times.FirstScheduledS)) times.FirstScheduledS = nowS;
            Schedule(world, request, row, newTokens, output);
        }
    }
}
